package kr.codeb.init;

/** Hears each step as {@link InitPlan} runs it (the CLI prints a line per step). */
public interface InitProgress {
  /** Prints nothing. */
  InitProgress SILENT = new InitProgress() {};

  /** Step {@code index} (1-based) of {@code total} starts, with its plan. */
  default void started(int index, int total, StepPlan plan) {}

  /** Step {@code index} ended. */
  default void finished(int index, int total, StepResult result) {}
}
