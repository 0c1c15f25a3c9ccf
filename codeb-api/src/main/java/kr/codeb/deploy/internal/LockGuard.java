package kr.codeb.deploy.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import kr.codeb.ConflictException;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.DeployLock;
import kr.codeb.deploy.LockHolder;
import kr.codeb.deploy.ReleaseStore;

/** Takes a project's deploy lock, waiting up to a bound, and gives it back on close. */
public final class LockGuard implements AutoCloseable {
  /** Long enough for any sane deploy; a holder that dies leaves a lock someone must break. */
  public static final Duration TTL = Duration.ofMinutes(30);

  private final ReleaseStore releases;
  private final DeployLock lock;

  private LockGuard(ReleaseStore releases, DeployLock lock) {
    this.releases = releases;
    this.lock = lock;
  }

  /**
   * Takes the lock for {@code holder} (an actor, {@code user@host}), recorded with this
   * process's pid, host and start time (see {@link LockHolder}).
   */
  public static LockGuard acquire(ReleaseStore releases, DeployKey key, String holder,
      Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      Optional<DeployLock> got = releases.tryLock(key, LockHolder.describe(holder), TTL);
      if (got.isPresent()) {
        return new LockGuard(releases, got.get());
      }
      if (System.nanoTime() >= deadline) {
        throw held(key, releases.currentLock(key), wait);
      }
      try {
        Thread.sleep(Math.min(250, Math.max(1, wait.toMillis() / 20)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ConflictException("interrupted while waiting for the deploy lock of " + key, e);
      }
    }
  }

  private static ConflictException held(DeployKey key, Optional<DeployLock> current,
      Duration waited) {
    String breakIt = "`we lock break " + key.project() + " --env " + key.environment() + "`";
    String who = current.map(l -> "held by " + l.holder() + " since " + l.acquired()
        + (LockHolder.liveness(l.holder()) == LockHolder.Liveness.DEAD
            ? " (stale: that process no longer runs on this host; break it with " + breakIt + ")"
            : l.isExpired(Instant.now()) ? " (expired at " + l.expires() + ": break it with "
                + breakIt + " if that deploy is gone)" : " until " + l.expires()))
        .orElse("released just now; retry");
    return new ConflictException("another deploy of " + key + " is running: " + who
        + (waited.isZero() ? "" : "; waited " + waited.toSeconds() + " s"));
  }

  @Override
  public void close() {
    releases.unlock(lock);
  }
}
