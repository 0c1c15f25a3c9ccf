package kr.codeb.testkit.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import kr.codeb.UnavailableException;
import kr.codeb.runtime.LogLine;
import kr.codeb.runtime.LogReader;

/**
 * A log reader of the in-memory runtime: the selected stored lines, then (following) the lines
 * the container adds later, polled, until it stops or is removed or the reader is closed.
 */
public final class MemLogReader implements LogReader {
  private static final long POLL_MILLIS = 20;

  private final Deque<LogLine> pending;
  private final boolean follow;
  private final Supplier<Optional<List<LogLine>>> running;
  private int seen;
  private volatile boolean closed;

  /**
   * @param selected the stored lines the query selects
   * @param seen how many stored lines there were when the reader opened
   * @param running all the container's lines while it runs; empty once it stopped or is gone
   */
  public MemLogReader(List<LogLine> selected, int seen, boolean follow,
      Supplier<Optional<List<LogLine>>> running) {
    this.pending = new ArrayDeque<>(selected);
    this.seen = seen;
    this.follow = follow;
    this.running = running;
  }

  @Override
  public Optional<LogLine> next() {
    while (!closed) {
      if (!pending.isEmpty()) {
        return Optional.of(pending.poll());
      }
      if (!follow) {
        return Optional.empty();
      }
      Optional<List<LogLine>> lines = running.get();
      if (lines.isEmpty()) {
        return Optional.empty();
      }
      List<LogLine> all = lines.get();
      if (all.size() > seen) {
        pending.addAll(all.subList(seen, all.size()));
        seen = all.size();
        continue;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closed = true;
        throw new UnavailableException("interrupted while following the logs on mem", "mem", 0,
            e);
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    closed = true;
  }
}
