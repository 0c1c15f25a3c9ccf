package kr.codeb.cli.internal;

import java.util.Optional;
import java.util.concurrent.Callable;
import kr.codeb.deploy.Actor;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.SwitchResult;
import kr.codeb.model.Slot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code we promote PROJECT --env ENV [--slot blue|green]}: switch traffic to a slot. */
@Command(
    name = "promote", header = "Switch traffic to a slot once it answers its health check.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Switch traffic to a slot (the idle one by default) after checking that its",
        "container runs and is healthy. Promoting the live slot changes nothing."})
final class PromoteCommand implements Callable<Integer> {
  private final Session session;

  @Mixin ProjectEnvOptions target;

  @Option(names = "--slot", paramLabel = "SLOT",
      description = "blue or green (default: the idle slot).")
  String slot;

  PromoteCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    DeployKey key = target.key();
    Optional<Slot> wanted = Optional.ofNullable(slot).map(Slot::parse);
    SwitchResult result;
    try (DeployProviders providers = DeployProviders.forDeploy(session, key)) {
      result = providers.deployments().promote(key, wanted, actor(session));
    }
    print(session, result);
    return 0;
  }

  static String actor(Session session) {
    return Optional.ofNullable(session.variable("CODEB_ACTOR")).orElseGet(Actor::current);
  }

  /** Prints a promote's or rollback's result. */
  static void print(Session session, SwitchResult r) {
    if (session.json()) {
      session.printJson(new DeployJson(session.jsonOutput()).switched(r));
      return;
    }
    String from = r.from().map(Slot::id).orElse("nothing");
    session.out().println(r.key() + ": " + (r.changed()
        ? "traffic moved from " + from + " to " + r.to()
        : "traffic already on " + r.to() + " (nothing changed)")
        + " (port " + r.port() + ", " + r.image() + ", release " + r.release() + ")");
    r.environment().ifPresent(e -> session.progress("we: " + e));
  }
}
