package kr.codeb.init;

import java.util.List;

/**
 * One step of a project's setup. {@link InitPlan} runs a list of them in order; the standard
 * eight come from {@link InitSteps#standard}. A test may wrap a step to make its system fail.
 *
 * <p>Contract: {@link #plan} reads the real systems and writes nothing. {@link #apply} makes
 * what the plan says and is idempotent (applying twice, or after a failure half-way, ends in
 * the same state, with no duplicate). Neither ever puts a secret into a detail or a message.
 * Failures are {@link kr.codeb.CodeBException}s.
 */
public interface InitStep {
  /** A stable id: {@code ports}, {@code databases}, {@code env}, ... */
  String id();

  /** For people: {@code SSOT ports}. */
  String title();

  /** What {@link #apply} would do, read from the real systems now. Writes nothing. */
  StepPlan plan();

  /**
   * Makes what {@code plan} says ({@link StepAction#CREATE} or {@link StepAction#UPDATE}).
   * Returns what it made, as items {@link #undo} understands.
   */
  StepResult apply(StepPlan plan);

  /**
   * Whether {@link InitPlan} applies this step again after an apply of it was cut off (the
   * journal says {@code started} or {@code failed}) even when {@link #plan} finds nothing to do:
   * true when a plan cannot see all that a half-done apply leaves out (a database container
   * running before its user was made). Such a step's apply must change nothing when all is
   * there. False by default.
   */
  default boolean reappliesAfterInterruption() {
    return false;
  }

  /**
   * The items {@link #apply} of {@code plan} will create, as {@link StepResult#created} names
   * them, read from the systems now. {@link InitPlan} records them before it applies the step,
   * so that a run killed in the middle of the step still leaves a journal that owns what the
   * step made (undo skips items that do not exist). None by default.
   */
  default List<String> intended(StepPlan plan) {
    return List.of();
  }

  /**
   * What {@link #undo} would remove of {@code created} (the items this step recorded), read
   * from the real systems now; one line each. Empty: nothing of it is left.
   */
  List<String> undoPlan(List<String> created, boolean deleteData);

  /**
   * Removes what this step created ({@code created}) and nothing else; idempotent. Data
   * (volumes, credentials) only with {@code deleteData}. Returns what it removed.
   */
  List<String> undo(List<String> created, boolean deleteData);

  /**
   * The items of {@code created} that {@link #undo} leaves in place on purpose (data kept
   * without {@code deleteData}); the journal keeps them so that a later destroy with
   * {@code deleteData} still knows them. None by default.
   */
  default List<String> kept(List<String> created, boolean deleteData) {
    return List.of();
  }
}
