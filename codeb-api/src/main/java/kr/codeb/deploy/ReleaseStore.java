package kr.codeb.deploy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Deploy locks and the release history, per project and environment. The file implementation
 * keeps them beside the SSOT file; a shared store can replace it. Implementations are safe for
 * concurrent use, also across processes where the storage is shared.
 */
public interface ReleaseStore extends AutoCloseable {

  /**
   * Takes the deploy lock of {@code key} for {@code holder} until {@code ttl} from now, if
   * nobody holds it. Atomic: of two callers at once, exactly one gets it. A lock that has
   * expired is still held until someone breaks it ({@link #breakLock}): a deploy that died
   * half-way needs a person to look before the next one runs.
   *
   * @return the lock, or empty if someone holds it (see {@link #currentLock})
   */
  Optional<DeployLock> tryLock(DeployKey key, String holder, Duration ttl);

  /** Who holds the lock of {@code key}, if anyone. */
  Optional<DeployLock> currentLock(DeployKey key);

  /** Releases this holding. {@code false} if the lock is gone or held by another token. */
  boolean unlock(DeployLock lock);

  /** Removes whatever lock {@code key} has. Idempotent: {@code false} if there was none. */
  boolean breakLock(DeployKey key);

  /** Appends a record to the history of its key; records are never rewritten. */
  void append(ReleaseRecord record);

  /** The history of {@code key}, oldest first. */
  List<ReleaseRecord> history(DeployKey key);

  @Override
  void close();
}
