package kr.codeb.cli.internal;

import java.util.concurrent.Callable;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.SwitchResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code we rollback PROJECT --env ENV}: traffic back to the previous release. */
@Command(
    name = "rollback", header = "Switch traffic back to the previous release.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Switch traffic back to the previous release: the other slot when its",
        "container still runs and is healthy, else that release's image deployed again."})
final class RollbackCommand implements Callable<Integer> {
  private final Session session;

  @Mixin ProjectEnvOptions target;

  RollbackCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    DeployKey key = target.key();
    SwitchResult result;
    try (DeployProviders providers = DeployProviders.forDeploy(session, key.environment())) {
      result = providers.deployments().rollback(key, PromoteCommand.actor(session));
    }
    PromoteCommand.print(session, result);
    return 0;
  }
}
