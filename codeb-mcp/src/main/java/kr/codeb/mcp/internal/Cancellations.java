package kr.codeb.mcp.internal;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The tool calls the client has sent and that have not ended, by request id (the id's JSON
 * text), with the client's {@code notifications/cancelled} for them. A cancellation that arrives
 * before its call registered is kept (a few only) so that the call sees it when it starts.
 *
 * <p>The server waits for the calls still open ({@link #awaitNoneOpen}) before it stops at the
 * end of input: a client that sends a call and closes its end still gets its answer, and a
 * deploy is never cut off half-way because its client went away.
 */
final class Cancellations {
  private static final int EARLY_KEPT = 64;
  private final Map<String, AtomicBoolean> running = new ConcurrentHashMap<>();
  private final Set<String> early = new LinkedHashSet<>();
  private final Set<String> open = new java.util.HashSet<>();

  /** A call the client sent (seen on the way in, before the SDK dispatches it). */
  void sent(String requestId) {
    synchronized (open) {
      open.add(requestId);
    }
  }

  /** Waits until every call sent has ended, for at most {@code limit}; false if some remain. */
  boolean awaitNoneOpen(java.time.Duration limit) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    synchronized (open) {
      while (!open.isEmpty()) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(open, left);
      }
    }
    return true;
  }

  /** The flag of the call with {@code requestId}; {@link #done} removes it. */
  AtomicBoolean register(String requestId) {
    AtomicBoolean flag = new AtomicBoolean();
    synchronized (early) {
      if (early.remove(requestId)) {
        flag.set(true);
      }
    }
    running.put(requestId, flag);
    return flag;
  }

  void done(String requestId) {
    running.remove(requestId);
    synchronized (open) {
      open.remove(requestId);
      open.notifyAll();
    }
  }

  void cancel(String requestId) {
    AtomicBoolean flag = running.get(requestId);
    if (flag != null) {
      flag.set(true);
      return;
    }
    synchronized (early) {
      early.add(requestId);
      if (early.size() > EARLY_KEPT) {
        early.remove(early.iterator().next());
      }
    }
  }
}
