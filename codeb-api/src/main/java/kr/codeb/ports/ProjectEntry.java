package kr.codeb.ports;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;

/**
 * A project's entry in the SSOT: its ports per environment, plus any fields CodeB does not know
 * ({@code extensions}), which are carried through every read and write unchanged.
 */
public record ProjectEntry(
    ProjectName name, Map<Environment, SlotPorts> ports, Map<String, Object> extensions) {

  public ProjectEntry {
    Objects.requireNonNull(name, "name");
    ports = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(ports)));
    ports.forEach((env, p) -> Objects.requireNonNull(p, "ports of " + env));
    extensions = JsonValues.copyObject(extensions);
  }

  public static ProjectEntry of(ProjectName name) {
    return new ProjectEntry(name, Map.of(), Map.of());
  }

  public Optional<SlotPorts> ports(Environment env) {
    return Optional.ofNullable(ports.get(env));
  }

  public ProjectEntry withPorts(Environment env, SlotPorts slotPorts) {
    Map<Environment, SlotPorts> copy = new LinkedHashMap<>(ports);
    copy.put(env, slotPorts);
    return new ProjectEntry(name, copy, extensions);
  }

  public ProjectEntry withoutPorts(Environment env) {
    Map<Environment, SlotPorts> copy = new LinkedHashMap<>(ports);
    copy.remove(env);
    return new ProjectEntry(name, copy, extensions);
  }
}
