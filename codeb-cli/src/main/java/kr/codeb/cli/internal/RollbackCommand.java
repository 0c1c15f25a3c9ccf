package kr.codeb.cli.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import kr.codeb.InvalidRequestException;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.EnvResolver;
import kr.codeb.deploy.EnvSource;
import kr.codeb.deploy.SwitchResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code we rollback PROJECT --env ENV}: traffic back to the previous release. When that
 * release's container must be recreated, its environment comes from {@code --env-file} and
 * {@code -e} if given, else from the env file the release recorded (read again); values given
 * with {@code -e} are never kept, so those must be given again.
 */
@Command(
    name = "rollback", header = "Switch traffic back to the previous release.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Switch traffic back to the previous release: the other slot when its",
        "container still runs and is healthy, else that release's image deployed again."})
final class RollbackCommand implements Callable<Integer> {
  private final Session session;

  @Mixin ProjectEnvOptions target;

  @Option(names = "--env-file", paramLabel = "FILE",
      description = {"If the release must be recreated: its environment from this file"
          + " (default: the env file it was deployed with)."})
  Path envFile;

  @Option(names = "-e", paramLabel = "KEY=VALUE",
      description = "If the release must be recreated: a variable of its environment; repeatable.")
  List<String> envVars = new ArrayList<>();

  @Option(names = "--allow-insecure-env-file",
      description = "Use an env file that its group or other users may read.")
  boolean allowInsecureEnvFile;

  RollbackCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    DeployKey key = target.key();
    SwitchResult result;
    try (DeployProviders providers = DeployProviders.forDeploy(session, key)) {
      result = providers.deployments().rollback(key, PromoteCommand.actor(session),
          this::environment);
    }
    PromoteCommand.print(session, result);
    return 0;
  }

  private EnvResolver.Resolved environment(EnvSource recorded) {
    return environment(session, recorded, envFile, envVars, allowInsecureEnvFile);
  }

  /**
   * The environment of a release that must be recreated: from {@code envFile} and
   * {@code envVars} if given, else from the env file the release recorded (read again); values
   * given with {@code -e} are never kept, so such a release needs them again.
   */
  static EnvResolver.Resolved environment(Session session, EnvSource recorded, Path envFile,
      List<String> envVars, boolean allowInsecureEnvFile) {
    EnvVars env = new EnvVars();
    if (envFile != null || !envVars.isEmpty()) {
      if (envFile != null) {
        env.readFile(session.path(envFile), allowInsecureEnvFile);
      }
      env.addOptions(envVars);
      return new EnvResolver.Resolved(env.values(), env.source());
    }
    if (!recorded.optionKeys().isEmpty()) {
      throw new InvalidRequestException("the previous release must be recreated, and it was"
          + " deployed with " + recorded.describe() + "; values given with -e are not kept:"
          + " give them again (-e KEY=VALUE" + recorded.file().map(f -> ", --env-file " + f)
              .orElse("") + "). Nothing was started");
    }
    if (recorded.file().isPresent()) {
      try {
        env.readFile(Path.of(recorded.file().get()), allowInsecureEnvFile);
      } catch (InvalidRequestException e) {
        throw new InvalidRequestException("the previous release must be recreated with its"
            + " environment, but " + e.getMessage() + "; give it with --env-file or -e."
            + " Nothing was started");
      }
    }
    return new EnvResolver.Resolved(env.values(), env.source());
  }
}
