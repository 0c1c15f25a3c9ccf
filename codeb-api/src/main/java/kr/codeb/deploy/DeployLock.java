package kr.codeb.deploy;

import java.time.Instant;
import java.util.Objects;

/**
 * A held deploy lock: who holds it, since when, until when. The token identifies this holding,
 * so a holder can only release its own lock.
 *
 * @param holder who holds it; CodeB writes {@code user@host pid 1234 on host started
 *     2026-12-04T16:00:00.120Z} (see {@link LockHolder}); no secrets
 */
public record DeployLock(DeployKey key, String holder, String token, Instant acquired,
    Instant expires) {
  public DeployLock {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(acquired, "acquired");
    Objects.requireNonNull(expires, "expires");
  }

  public boolean isExpired(Instant now) {
    return now.isAfter(expires);
  }
}
