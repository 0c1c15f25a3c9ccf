package kr.codeb.cli.internal;

import java.time.Duration;
import java.util.Optional;
import kr.codeb.deploy.DeployHooks;
import picocli.CommandLine.Option;

/** The deploy hook options of {@code we deploy} (a picocli mixin). */
final class HookOptions {
  @Option(names = "--pre-deploy", paramLabel = "SCRIPT",
      description = "Run sh -c SCRIPT in a one-off container of the new release (its image and"
          + " environment) before the new slot starts; a non-zero exit fails the deploy with"
          + " traffic untouched (e.g. migrations).")
  String preDeploy;

  @Option(names = "--post-deploy", paramLabel = "SCRIPT",
      description = "Run sh -c SCRIPT the same way after the switch; a failure is reported.")
  String postDeploy;

  @Option(names = "--hook-timeout", paramLabel = "DURATION", defaultValue = "5m",
      converter = DurationConverter.class,
      description = "How long each hook may run before it is killed (1s to 1h; default 5m).")
  Duration timeout;

  @Option(names = "--rollback-on-post-deploy-failure",
      description = "Move traffic back to the previous slot when the post-deploy hook fails.")
  boolean rollbackOnPostDeployFailure;

  /** The hooks (exit 2 for a bad timeout or an empty script). */
  DeployHooks hooks() {
    return DeployHooks.shell(Optional.ofNullable(preDeploy), Optional.ofNullable(postDeploy),
        timeout, rollbackOnPostDeployFailure);
  }
}
