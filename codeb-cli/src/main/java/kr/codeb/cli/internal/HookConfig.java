package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import kr.codeb.deploy.DeployHooks;
import kr.codeb.deploy.DeployKey;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import picocli.CommandLine.TypeConversionException;

/**
 * The deploy hooks a config file declares for a project ({@code projects.PROJECT.hooks}) or one
 * of its environments ({@code projects.PROJECT.environments.ENV.hooks}): {@code {pre-deploy,
 * post-deploy, timeout, rollback-on-post-deploy-failure}}. Each command runs as
 * {@code sh -c COMMAND} in a one-off container of the new release.
 */
record HookConfig(Optional<String> preDeploy, Optional<String> postDeploy,
    Optional<Duration> timeout, boolean rollbackOnPostDeployFailure) {

  static final HookConfig NONE =
      new HookConfig(Optional.empty(), Optional.empty(), Optional.empty(), false);

  private static final Set<String> KEYS = Set.of("pre-deploy", "post-deploy", "timeout",
      "rollback-on-post-deploy-failure");

  HookConfig {
    Objects.requireNonNull(preDeploy, "preDeploy");
    Objects.requireNonNull(postDeploy, "postDeploy");
    Objects.requireNonNull(timeout, "timeout");
  }

  /**
   * The hooks of {@code key} in {@code all} (keyed {@code project/environment} and
   * {@code project}): its environment's, else its project's, else none.
   */
  static HookConfig of(Map<String, HookConfig> all, DeployKey key) {
    HookConfig env = all.get(key.project().value() + "/" + key.environment().name());
    return env != null ? env : all.getOrDefault(key.project().value(), NONE);
  }

  /**
   * The hooks under {@code projects:} of a config file: {@code projects.<name>.hooks} (every
   * environment) and {@code projects.<name>.environments.<env>.hooks} (that environment, in
   * place of the project's), keyed {@code project} and {@code project/environment}, as
   * {@link ProjectProcesses} reads processes; every value checked as {@link DeployHooks} checks
   * it (a timeout of 1 s to 1 h, no empty command). The shape around them is checked by
   * {@link ProjectProcesses}.
   */
  static Map<String, HookConfig> parse(ConfigLoader file, JsonNode projects) {
    Map<String, HookConfig> hooks = new LinkedHashMap<>();
    if (projects == null || !projects.isObject()) {
      return hooks;
    }
    projects.fields().forEachRemaining(p -> {
      String projectPath = "projects." + p.getKey();
      ProjectName project = file.within(projectPath, () -> new ProjectName(p.getKey()));
      JsonNode own = p.getValue().get("hooks");
      if (own != null && !own.isNull()) {
        hooks.put(project.value(), one(file, own, projectPath + ".hooks"));
      }
      JsonNode envs = p.getValue().get("environments");
      if (envs == null || !envs.isObject()) {
        return;
      }
      envs.fields().forEachRemaining(e -> {
        String path = projectPath + ".environments." + e.getKey();
        Environment env = file.within(path, () -> Environment.of(e.getKey()));
        JsonNode h = e.getValue().get("hooks");
        if (h != null && !h.isNull()) {
          hooks.put(project.value() + "/" + env.name(), one(file, h, path + ".hooks"));
        }
      });
    });
    return hooks;
  }

  /** The error for a config file that still has the top-level {@code hooks:}. */
  static String movedMessage() {
    return "hooks are declared per project now: move hooks: PROJECT: ENV: {...} to"
        + " projects: PROJECT: environments: ENV: hooks: {...} (or projects: PROJECT: hooks:"
        + " {...} for every environment), next to the project's processes";
  }

  private static HookConfig one(ConfigLoader file, JsonNode node, String path) {
    file.requireMapping(node, path, KEYS);
    Optional<String> pre = text(file, node, "pre-deploy", path);
    Optional<String> post = text(file, node, "post-deploy", path);
    Optional<Duration> timeout = text(file, node, "timeout", path).map(t -> {
      try {
        return DurationConverter.parse(t);
      } catch (TypeConversionException e) {
        throw file.problemAt(path + ".timeout", e.getMessage());
      }
    });
    JsonNode rollback = node.get("rollback-on-post-deploy-failure");
    if (rollback != null && !rollback.isNull() && !rollback.isBoolean()) {
      throw file.problemAt(path + ".rollback-on-post-deploy-failure", "must be true or false");
    }
    HookConfig config = new HookConfig(pre, post, timeout,
        rollback != null && rollback.asBoolean(false));
    file.within(path, () -> config.merged(null, null, null, false));
    return config;
  }

  private static Optional<String> text(ConfigLoader file, JsonNode node, String key,
      String path) {
    JsonNode value = node.get(key);
    return value == null || value.isNull() ? Optional.empty()
        : Optional.of(file.requireText(value, path + "." + key));
  }

  /**
   * These hooks with the command line's over them: a given {@code --pre-deploy},
   * {@code --post-deploy} or {@code --hook-timeout} replaces the file's, and
   * {@code --rollback-on-post-deploy-failure} turns rollback on.
   */
  DeployHooks merged(String cliPre, String cliPost, Duration cliTimeout, boolean cliRollback) {
    return DeployHooks.shell(Optional.ofNullable(cliPre).or(() -> preDeploy),
        Optional.ofNullable(cliPost).or(() -> postDeploy),
        Optional.ofNullable(cliTimeout).or(() -> timeout).orElse(DeployHooks.DEFAULT_TIMEOUT),
        cliRollback || rollbackOnPostDeployFailure);
  }
}
