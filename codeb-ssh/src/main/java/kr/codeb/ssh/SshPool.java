package kr.codeb.ssh;

import java.time.Duration;
import kr.codeb.Checks;
import kr.codeb.ssh.internal.ConnectionPool;

/**
 * SSH connections shared within one process (one command, or {@code we daemon}): one underlying
 * connection per target and configuration, used by any number of leases at once (each call runs
 * on its own SSH channel). A connection no lease has used for the idle timeout is closed; the
 * next lease opens a new one. A connection found dead is replaced before a call; one that drops
 * during a call is handled as {@link SshConnection} says. Thread-safe.
 */
public final class SshPool implements AutoCloseable {
  /** The idle timeout of {@link #SshPool()}: 2 minutes. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(2);

  private final ConnectionPool pool;

  /** A pool closing connections idle for {@link #DEFAULT_IDLE_TIMEOUT}. */
  public SshPool() {
    this(DEFAULT_IDLE_TIMEOUT);
  }

  /** A pool closing connections that no lease has used for {@code idleTimeout}. */
  public SshPool(Duration idleTimeout) {
    this.pool = new ConnectionPool(Checks.positive("SSH pool idle timeout", idleTimeout));
  }

  /**
   * A lease on the shared connection to {@code target} with {@code config}, opened now if there is
   * none (failing as {@link Ssh#connect} does). Closing the lease keeps the connection in the pool
   * and closes the tunnels opened through the lease.
   */
  public SshConnection connection(SshTarget target, SshConfig config) {
    java.util.Objects.requireNonNull(target, "target");
    java.util.Objects.requireNonNull(config, "config");
    return pool.lease(target, config);
  }

  /** How many SSH connections this pool has opened since it was made (reopens included). */
  public long openedConnections() {
    return pool.openedConnections();
  }

  /** How many SSH connections are open now. */
  public int openConnections() {
    return pool.openConnections();
  }

  /** Closes every connection (and their tunnels); later leases fail. Idempotent. */
  @Override
  public void close() {
    pool.close();
  }
}
