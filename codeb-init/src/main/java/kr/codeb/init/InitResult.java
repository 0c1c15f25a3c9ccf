package kr.codeb.init;

import java.util.List;
import java.util.Objects;

/**
 * What {@link InitPlan#apply} or {@link InitPlan#destroy} did, one entry per step in the order
 * run.
 *
 * @param notes for people: the journal disagreed with the systems, a resume, ...
 */
public record InitResult(List<StepResult> steps, List<String> notes) {
  public InitResult {
    steps = List.copyOf(steps);
    notes = List.copyOf(notes);
    Objects.requireNonNull(steps, "steps");
  }

  /** Whether any step wrote anything. */
  public boolean changed() {
    return steps.stream().anyMatch(s -> s.action() == StepAction.CREATE
        || s.action() == StepAction.UPDATE);
  }

  /** The steps that found something that differs and left it alone. */
  public List<StepResult> differs() {
    return steps.stream().filter(s -> s.action() == StepAction.DIFFERS).toList();
  }
}
