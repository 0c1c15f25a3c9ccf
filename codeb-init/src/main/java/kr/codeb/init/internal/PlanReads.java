package kr.codeb.init.internal;

import java.util.Optional;
import kr.codeb.init.StepPlan;

/**
 * What a step read from its systems while making its last plan, kept for {@code intended} and
 * {@code apply} of that very plan ({@code InitPlan} calls them right after {@code plan()}), so
 * the systems are not asked the same again a moment later. Any other plan (one a caller made
 * earlier, or an adjusted copy) finds nothing here, and the step reads afresh.
 */
final class PlanReads<T> {
  private record Kept<T>(StepPlan plan, T read) {}

  private volatile Kept<T> last;

  /** Keeps {@code read} for {@code plan}; returns {@code plan}. */
  StepPlan keep(StepPlan plan, T read) {
    last = new Kept<>(plan, read);
    return plan;
  }

  /** What was kept for this very plan object. */
  Optional<T> of(StepPlan plan) {
    Kept<T> kept = last;
    return kept != null && kept.plan() == plan ? Optional.of(kept.read()) : Optional.empty();
  }
}
