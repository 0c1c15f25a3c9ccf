package kr.codeb.cli.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.deploy.DeployHooks;
import kr.codeb.deploy.DeployKey;
import picocli.CommandLine.Option;

/** The deploy hook options of {@code we deploy} (a picocli mixin). */
final class HookOptions {
  /** Where local hook scripts are looked for without {@code hooksDir:}, as Kamal's .kamal/hooks. */
  static final Path DEFAULT_LOCAL_DIR = Path.of(".codeb", "hooks");

  @Option(names = "--pre-deploy", paramLabel = "SCRIPT",
      description = "Run sh -c SCRIPT in a one-off container of the new release (its image and"
          + " environment) before the new slot starts; a non-zero exit fails the deploy with"
          + " traffic untouched (e.g. migrations).")
  String preDeploy;

  @Option(names = "--post-deploy", paramLabel = "SCRIPT",
      description = "Run sh -c SCRIPT the same way after the switch; a failure is reported."
          + " Both replace the config file's hooks of the project and environment.")
  String postDeploy;

  @Option(names = "--hook-timeout", paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long each hook may run before it is killed (1s to 1h; default: the"
          + " config file's hooks timeout, else 5m).")
  Duration timeout;

  @Option(names = "--rollback-on-post-deploy-failure",
      description = "Move traffic back to the previous slot when the post-deploy hook fails.")
  boolean rollbackOnPostDeployFailure;

  /**
   * The hooks: these options over the config file's for the project and environment, and the
   * local hook scripts of the config's {@code hooksDir}, else of {@code .codeb/hooks} in the
   * working folder when it exists. Exit 2 for a bad timeout, an empty script, a configured
   * {@code hooksDir} that is not a folder or a local hook that is not executable.
   */
  DeployHooks hooks(Session session, DeployKey key) {
    CliConfig config = session.config();
    DeployHooks hooks = HookConfig.of(config.hooks(), key).merged(preDeploy, postDeploy, timeout,
        rollbackOnPostDeployFailure);
    Optional<Path> dir = config.hooksDir();
    if (dir.isPresent() && !Files.isDirectory(dir.get())) {
      throw new InvalidRequestException("hooksDir " + dir.get() + " (config file "
          + config.source().map(Path::toString).orElse("") + ") is not a folder: create it or"
          + " remove hooksDir; nothing was deployed");
    }
    Path local = dir.orElseGet(() -> session.path(DEFAULT_LOCAL_DIR));
    if (!Files.isDirectory(local)) {
      return hooks;
    }
    DeployHooks withLocal = hooks.withLocalDir(local);
    DeployHooks.LOCAL_HOOKS.forEach(withLocal::localScript); // refused now if not executable
    return withLocal;
  }
}
