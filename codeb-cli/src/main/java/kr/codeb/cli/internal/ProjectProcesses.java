package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.ProcessSpec;
import kr.codeb.model.ProjectName;

/**
 * The {@code projects:} of a config file: each project's processes, for every environment,
 * and optionally other ones for an environment of its own. The {@code hooks:} beside them are
 * read by {@link HookConfig}.
 *
 * <pre>
 * projects:
 *   shop:
 *     processes:
 *       web: { command: [bin/web] }               # optional: the image's command otherwise
 *       worker: { command: [bin/worker], count: 2, health: [bin/worker, --ready] }
 *       scheduler: { command: "bin/cron --tick 60" } # a text runs as sh -c TEXT
 *     environments:
 *       staging:
 *         processes: { worker: { command: [bin/worker] } }
 *         hooks: { pre-deploy: "bin/migrate up", timeout: 10m }
 * </pre>
 *
 * @param byKey the processes under {@code project} (every environment) and
 *     {@code project/environment}
 */
record ProjectProcesses(Map<String, List<ProcessSpec>> byKey) {
  static final ProjectProcesses NONE = new ProjectProcesses(Map.of());

  private static final Set<String> PROJECT_KEYS = Set.of("processes", "environments", "hooks");
  private static final Set<String> ENV_KEYS = Set.of("processes", "hooks");
  private static final Set<String> PROCESS_KEYS = Set.of("command", "count", "health");

  ProjectProcesses {
    byKey = Collections.unmodifiableMap(new LinkedHashMap<>(byKey));
  }

  /** The processes of {@code key}: its environment's, else its project's, else none. */
  List<ProcessSpec> of(DeployKey key) {
    List<ProcessSpec> env = byKey.get(key.project().value() + "/" + key.environment().name());
    return env != null ? env : byKey.getOrDefault(key.project().value(), List.of());
  }

  static ProjectProcesses parse(ConfigLoader file, JsonNode node) {
    if (node == null || node.isNull()) {
      return NONE;
    }
    file.requireMapping(node, "projects", null);
    Map<String, List<ProcessSpec>> byKey = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> project : fields(node)) {
      String path = "projects." + project.getKey();
      file.within(path, () -> ProjectName.of(project.getKey()));
      file.requireMapping(project.getValue(), path, PROJECT_KEYS);
      JsonNode processes = project.getValue().get("processes");
      if (processes != null && !processes.isNull()) {
        byKey.put(project.getKey(), processes(file, processes, path + ".processes"));
      }
      JsonNode envs = project.getValue().get("environments");
      if (envs == null || envs.isNull()) {
        continue;
      }
      file.requireMapping(envs, path + ".environments", null);
      for (Map.Entry<String, JsonNode> env : fields(envs)) {
        String envPath = path + ".environments." + env.getKey();
        file.requireMapping(env.getValue(), envPath, ENV_KEYS);
        JsonNode p = env.getValue().get("processes");
        if (p != null && !p.isNull()) {
          byKey.put(project.getKey() + "/" + env.getKey(),
              processes(file, p, envPath + ".processes"));
        }
      }
    }
    return new ProjectProcesses(byKey);
  }

  private static List<ProcessSpec> processes(ConfigLoader file, JsonNode node, String path) {
    file.requireMapping(node, path, null);
    List<ProcessSpec> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> p : fields(node)) {
      String at = path + "." + p.getKey();
      JsonNode spec = p.getValue();
      file.requireMapping(spec, at, PROCESS_KEYS);
      List<String> command = command(file, spec.get("command"), at + ".command");
      List<String> health = command(file, spec.get("health"), at + ".health");
      int count = count(file, spec.get("count"), at + ".count");
      out.add(file.within(at, () -> new ProcessSpec(p.getKey(), command, count, health)));
    }
    return out;
  }

  /** A list of texts, or one text run as {@code sh -c TEXT}; absent: empty. */
  private static List<String> command(ConfigLoader file, JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (node.isValueNode()) {
      return List.of("sh", "-c", file.requireText(node, path));
    }
    if (!node.isArray() || node.isEmpty()) {
      throw file.problemAt(path, "must be a list of the program and its arguments, such as"
          + " [bin/worker, --queue, default], or one text run by sh -c");
    }
    List<String> args = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      args.add(file.requireText(node.get(i), path + "[" + i + "]"));
    }
    return args;
  }

  private static int count(ConfigLoader file, JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return 1;
    }
    if (!node.isInt()) {
      throw file.problemAt(path, "must be a whole number from 1 to " + ProcessSpec.MAX_COUNT);
    }
    return node.asInt();
  }

  private static List<Map.Entry<String, JsonNode>> fields(JsonNode node) {
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    node.fields().forEachRemaining(out::add);
    return out;
  }
}
