package kr.codeb.deploy;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.model.Slot;

/**
 * What a deploy did. On a failed gate, {@code reason} says why and {@code logTail} holds the
 * last lines of the failed container's output; traffic stayed on {@code liveSlot}.
 *
 * @param slot the slot the new release ran in
 * @param liveSlot the slot traffic goes to after the deploy (empty if none yet)
 */
public record DeployResult(
    DeployKey key,
    ReleaseOutcome outcome,
    String release,
    String image,
    Slot slot,
    int port,
    Optional<Slot> liveSlot,
    Optional<String> reason,
    Optional<String> logTail,
    Duration elapsed) {

  public DeployResult {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(liveSlot, "liveSlot");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(logTail, "logTail");
  }

  public boolean succeeded() {
    return outcome.isSuccess();
  }
}
