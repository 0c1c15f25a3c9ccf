package kr.codeb.ports;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One inconsistency in the registry.
 *
 * @param port the port concerned, absent for range findings
 * @param projects the projects involved, the project entry's owner first
 * @param environments the environments involved
 */
public record Finding(
    FindingKind kind,
    Optional<Integer> port,
    List<String> projects,
    List<String> environments,
    String message) {

  public Finding {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(port, "port");
    projects = List.copyOf(projects);
    environments = List.copyOf(environments);
    Objects.requireNonNull(message, "message");
  }
}
