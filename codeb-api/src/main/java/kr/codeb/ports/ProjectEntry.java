package kr.codeb.ports;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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

  /** The extension field that records where the project runs: {@code placement.<env>}. */
  public static final String PLACEMENT = "placement";

  /**
   * The app servers the project was last deployed to in {@code env} ({@code
   * placement.<env>: [app1, app2]}); empty when none was recorded (one server, or a deploy
   * before placements were recorded).
   */
  public List<String> placement(Environment env) {
    Object all = extensions.get(PLACEMENT);
    if (all instanceof Map<?, ?> byEnv && byEnv.get(env.name()) instanceof List<?> names) {
      return names.stream().map(String::valueOf).toList();
    }
    return List.of();
  }

  /** The entry with {@code servers} as the placement in {@code env}. */
  public ProjectEntry withPlacement(Environment env, List<String> servers) {
    Map<String, Object> copy = new LinkedHashMap<>(extensions);
    Map<String, Object> byEnv = new LinkedHashMap<>();
    if (copy.get(PLACEMENT) instanceof Map<?, ?> old) {
      old.forEach((k, v) -> byEnv.put(String.valueOf(k), v));
    }
    byEnv.put(env.name(), List.copyOf(servers));
    copy.put(PLACEMENT, byEnv);
    return new ProjectEntry(name, ports, copy);
  }

  public ProjectEntry withoutPorts(Environment env) {
    Map<Environment, SlotPorts> copy = new LinkedHashMap<>(ports);
    copy.remove(env);
    return new ProjectEntry(name, copy, extensions);
  }
}
