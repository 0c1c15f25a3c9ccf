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
 * The deploy hooks a config file declares for one project and environment ({@code hooks:
 * PROJECT: ENV: {pre-deploy, post-deploy, timeout, rollback-on-post-deploy-failure}}). Each
 * command runs as {@code sh -c COMMAND} in a one-off container of the new release.
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

  /** The hooks of {@code key} in {@code all} (keyed {@code project/environment}). */
  static HookConfig of(Map<String, HookConfig> all, DeployKey key) {
    return all.getOrDefault(key.project().value() + "/" + key.environment().name(), NONE);
  }

  /**
   * {@code hooks:} of a config file, keyed {@code project/environment}; every value checked as
   * {@link DeployHooks} checks it (a timeout of 1 s to 1 h, no empty command).
   */
  static Map<String, HookConfig> parse(ConfigLoader file, JsonNode node) {
    Map<String, HookConfig> hooks = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return hooks;
    }
    if (!node.isObject()) {
      throw file.problemAt("hooks", "must be a mapping of project names to environments, such"
          + " as hooks: {shop: {production: {pre-deploy: './bin/migrate up'}}}");
    }
    node.fields().forEachRemaining(p -> {
      String projectPath = "hooks." + p.getKey();
      ProjectName project = file.within(projectPath, () -> new ProjectName(p.getKey()));
      if (!p.getValue().isObject()) {
        throw file.problemAt(projectPath, "must be a mapping of environment names (such as"
            + " production) to hooks");
      }
      p.getValue().fields().forEachRemaining(e -> {
        String path = projectPath + "." + e.getKey();
        Environment env = file.within(path, () -> Environment.of(e.getKey()));
        hooks.put(project.value() + "/" + env.name(), one(file, e.getValue(), path));
      });
    });
    return hooks;
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
