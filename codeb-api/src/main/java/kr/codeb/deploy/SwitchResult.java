package kr.codeb.deploy;

import java.util.Objects;
import java.util.Optional;
import kr.codeb.model.Slot;

/**
 * What a promote or rollback did: traffic moved {@code from} one slot {@code to} the other
 * (or stayed, when {@code changed} is false because it was already there).
 */
public record SwitchResult(DeployKey key, Optional<Slot> from, Slot to, int port, String image,
    String release, boolean changed) {
  public SwitchResult {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
  }
}
