package kr.codeb.doctor;

import java.util.List;
import kr.codeb.doctor.internal.Repairable;

/**
 * What {@link Doctor#examine} found: the drifts, each with its fix, and notes on what was not
 * compared. {@link Doctor#apply} carries out the automatic fixes of the plan of the same doctor.
 */
public final class DoctorPlan {
  private final List<Repairable> found;
  private final List<String> notes;
  private final List<String> failures;

  DoctorPlan(List<Repairable> found, List<String> notes, List<String> failures) {
    this.found = List.copyOf(found);
    this.notes = List.copyOf(notes);
    this.failures = List.copyOf(failures);
  }

  /** The drifts, SSOT first, then containers, proxy, DNS and firewall. */
  public List<Drift> drifts() {
    return found.stream().map(Repairable::drift).toList();
  }

  /** The fixes {@link Doctor#apply} would carry out, in the order it would. */
  public List<Fix> fixes() {
    return drifts().stream().map(Drift::fix).filter(Fix::automatic).toList();
  }

  /** What was not compared and why (a provider not given, a server without an engine). */
  public List<String> notes() {
    return notes;
  }

  /** Checks that could not run (an engine that did not answer), with the reason. */
  public List<String> failures() {
    return failures;
  }

  /** Whether nothing drifted and every check ran. */
  public boolean clean() {
    return found.isEmpty() && failures.isEmpty();
  }

  List<Repairable> found() {
    return found;
  }
}
