package kr.codeb.runtime;

import java.util.Optional;

/**
 * The log lines of one container, read in the order the engine delivers them (stdout and stderr
 * interleaved roughly as written). Not for use by several threads at once, except that
 * {@link #close()} may be called from any thread and ends a {@link #next()} that is waiting.
 */
public interface LogReader extends AutoCloseable {
  /**
   * The next line, waiting for it if the query follows; empty at the end: all stored lines read
   * (no follow), the container stopped or was removed (follow), or the reader was closed.
   *
   * @throws kr.codeb.UnavailableException if the engine stopped answering, or the waiting thread
   *     was interrupted
   */
  Optional<LogLine> next();

  /** Stops reading and releases the connection. Idempotent. */
  @Override
  void close();
}
