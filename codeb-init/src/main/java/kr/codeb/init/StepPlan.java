package kr.codeb.init;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one step would do, read from the real systems when it was made.
 *
 * @param step the step's id ({@code ports}, {@code databases}, ...)
 * @param title for people ({@code SSOT ports})
 * @param action create, update, unchanged or differs
 * @param details what will be made or what exists, one line each; never a secret
 * @param reason why it differs (for {@link StepAction#DIFFERS}), else empty
 */
public record StepPlan(String step, String title, StepAction action, List<String> details,
    Optional<String> reason) {
  public StepPlan {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(action, "action");
    details = List.copyOf(details);
    Objects.requireNonNull(reason, "reason");
    if (action == StepAction.DIFFERS && reason.isEmpty()) {
      throw new IllegalArgumentException("a plan that differs needs a reason");
    }
  }

  public static StepPlan of(InitStep step, StepAction action, List<String> details) {
    return new StepPlan(step.id(), step.title(), action, details, Optional.empty());
  }

  public static StepPlan differs(InitStep step, String reason, List<String> details) {
    return new StepPlan(step.id(), step.title(), StepAction.DIFFERS, details,
        Optional.of(reason));
  }

  /** Whether applying it writes anything. */
  public boolean changes() {
    return action == StepAction.CREATE || action == StepAction.UPDATE;
  }
}
