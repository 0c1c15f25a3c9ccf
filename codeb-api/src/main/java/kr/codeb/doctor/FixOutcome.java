package kr.codeb.doctor;

import java.util.Objects;
import java.util.Optional;

/**
 * What applying one drift's fix did.
 *
 * @param drift the drift
 * @param applied whether the fix ran to the end
 * @param error why it did not (the failure's message); empty when applied or manual
 */
public record FixOutcome(Drift drift, boolean applied, Optional<String> error) {
  public FixOutcome {
    Objects.requireNonNull(drift, "drift");
    Objects.requireNonNull(error, "error");
  }
}
