package kr.codeb.init;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one step did.
 *
 * @param step the step's id
 * @param title for people
 * @param action what happened: created, updated, unchanged, or differs (left alone)
 * @param details what was made or found, one line each; never a secret
 * @param created the items this step made, in the step's own terms ({@code db:postgres},
 *     {@code zone:acme.example.}); recorded in the journal so that destroy undoes only them
 * @param reason why it differs, for {@link StepAction#DIFFERS}
 */
public record StepResult(String step, String title, StepAction action, List<String> details,
    List<String> created, Optional<String> reason) {
  public StepResult {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(action, "action");
    details = List.copyOf(details);
    created = List.copyOf(created);
    Objects.requireNonNull(reason, "reason");
  }

  /** A step that found everything as wanted. */
  public static StepResult unchanged(StepPlan plan) {
    return new StepResult(plan.step(), plan.title(), StepAction.UNCHANGED, plan.details(),
        List.of(), Optional.empty());
  }

  /** A step that made {@code created}. */
  public static StepResult done(StepPlan plan, List<String> details, List<String> created) {
    return new StepResult(plan.step(), plan.title(), plan.action(), details, created,
        Optional.empty());
  }
}
