package kr.codeb.doctor.internal;

import java.util.Objects;
import java.util.Optional;
import kr.codeb.doctor.Drift;

/** A drift with the action that fixes it (none for a manual fix). */
public record Repairable(Drift drift, Optional<Runnable> repair) {
  public Repairable {
    Objects.requireNonNull(drift, "drift");
    Objects.requireNonNull(repair, "repair");
  }

  public static Repairable manual(Drift drift) {
    return new Repairable(drift, Optional.empty());
  }

  public static Repairable of(Drift drift, Runnable repair) {
    return new Repairable(drift, Optional.of(repair));
  }
}
