package kr.codeb.ports;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.Checks;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.model.Slot;

/**
 * One record of the SSOT's {@code ports.allocated}: which project and slot hold a host port.
 * Older files have no environment in the record; CodeB writes it in every record it creates.
 */
public record Allocation(
    int port,
    ProjectName project,
    Slot slot,
    Optional<Environment> environment,
    Map<String, Object> extensions) {

  public Allocation {
    Checks.port("allocated port", port);
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(slot, "slot");
    Objects.requireNonNull(environment, "environment");
    extensions = JsonValues.copyObject(extensions);
  }

  public static Allocation of(int port, ProjectName project, Slot slot, Environment env) {
    return new Allocation(port, project, slot, Optional.of(env), Map.of());
  }

  /** Whether this record says the same as the given owner (project, slot and environment). */
  public boolean sameOwner(ProjectName p, Slot s, Environment env) {
    return project.equals(p) && slot == s && environment.map(env::equals).orElse(true);
  }

  /** "project/slot", or "project/environment/slot" when the record names its environment. */
  public String owner() {
    return project + environment.map(e -> "/" + e).orElse("") + "/" + slot.id();
  }
}
