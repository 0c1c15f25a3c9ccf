package kr.codeb.cli.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
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
 * {@code -e} if given, else from the env file the release recorded (read again: the project's
 * env file as it is now, see {@link DeployEnvironment}); values given with {@code -e} are never
 * kept, so those must be given again.
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
          + " (default: the env file it was deployed with, as it is now)."})
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
          recorded -> environment(key, recorded), session.config().processes().of(key));
    }
    PromoteCommand.print(session, result);
    return 0;
  }

  private EnvResolver.Resolved environment(DeployKey key, EnvSource recorded) {
    return DeployEnvironment.forRollback(session, key, recorded,
        envFile == null ? null : session.path(envFile), envVars, allowInsecureEnvFile);
  }
}
