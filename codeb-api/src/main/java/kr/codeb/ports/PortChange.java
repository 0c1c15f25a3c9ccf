package kr.codeb.ports;

import java.util.Objects;
import java.util.Optional;

/** One change a repair made (or would make) to {@code ports.allocated}. */
public record PortChange(
    int port, Optional<Allocation> before, Optional<Allocation> after, FindingKind fixes) {
  public PortChange {
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(fixes, "fixes");
  }

  /** A one-line description: {@code 4101: w-homepage-react/blue -> worb/production/green}. */
  public String describe() {
    return port + ": " + before.map(Allocation::owner).orElse("(no record)") + " -> "
        + after.map(Allocation::owner).orElse("(removed)") + " [" + fixes.id() + "]";
  }
}
