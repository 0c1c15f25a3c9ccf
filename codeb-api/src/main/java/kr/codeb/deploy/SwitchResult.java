package kr.codeb.deploy;

import java.util.Objects;
import java.util.Optional;
import kr.codeb.model.Slot;

/**
 * What a promote or rollback did: traffic moved {@code from} one slot {@code to} the other
 * (or stayed, when {@code changed} is false because it was already there).
 *
 * @param environment when a rollback recreated the release's container: which environment it
 *     got and whether it is the one the release had (by hash, never values)
 */
public record SwitchResult(DeployKey key, Optional<Slot> from, Slot to, int port, String image,
    String release, boolean changed, Optional<String> environment) {
  public SwitchResult {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(environment, "environment");
  }
}
