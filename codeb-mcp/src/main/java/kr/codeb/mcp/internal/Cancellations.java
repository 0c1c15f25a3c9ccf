package kr.codeb.mcp.internal;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The client's {@code notifications/cancelled}, by request id (the id's JSON text), for the tool
 * calls running now. A cancellation that arrives before its call registered is kept (a few
 * only) so that the call sees it when it starts.
 */
final class Cancellations {
  private static final int EARLY_KEPT = 64;
  private final Map<String, AtomicBoolean> running = new ConcurrentHashMap<>();
  private final Set<String> early = new LinkedHashSet<>();

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
