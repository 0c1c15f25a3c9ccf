package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.ProjectMaintenance;
import kr.codeb.proxy.Maintenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code we maintenance on|off PROJECT --env ENV}: the proxy answers 503 for the project. */
@Command(
    name = "maintenance", header = "Turn a project's maintenance page on or off.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"While on, the proxy answers every request for the project's hosts with 503,",
        "a small page and Retry-After; other projects are not affected and the slots keep",
        "running. Both verbs are idempotent; 'we slot' shows the mode."})
final class MaintenanceCommand implements Callable<Integer> {
  private final Session session;

  MaintenanceCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    return session.missingSubcommand("maintenance");
  }

  static ObjectNode json(Session session, DeployKey key, boolean changed, Optional<Maintenance> m) {
    ObjectNode n = new DeployJson(session.jsonOutput()).key(key);
    n.put("maintenance", m.isPresent());
    n.put("changed", changed);
    m.ifPresent(mode -> {
      n.put("message", mode.message());
      n.put("retryAfterSeconds", mode.retryAfter().toSeconds());
    });
    return n;
  }

  /** {@code we maintenance on}. */
  @Command(name = "on", header = "Answer 503 with a maintenance page for the project's hosts.",
      mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
  static final class On implements Callable<Integer> {
    private final Session session;

    @Mixin ProjectEnvOptions target;

    @Option(names = "--message", paramLabel = "TEXT",
        description = "Shown on the page (one line, up to 500 characters).")
    String message;

    @Option(names = "--retry-after", paramLabel = "SECONDS", defaultValue = "60",
        description = "The Retry-After header, in seconds (0 to 86400; default 60).")
    long retryAfter;

    On(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      DeployKey key = target.key();
      Maintenance mode = new Maintenance(message == null ? Maintenance.DEFAULT_MESSAGE : message,
          Duration.ofSeconds(Math.max(-1, Math.min(retryAfter, 10_000_000))));
      boolean changed;
      try (DeployProviders providers = DeployProviders.forDeploy(session, key)) {
        changed = new ProjectMaintenance(providers.context()).on(key, mode);
      }
      if (session.json()) {
        session.printJson(json(session, key, changed, Optional.of(mode)));
      } else {
        session.out().println(key + ": maintenance " + (changed ? "on" : "already on")
            + " (503, Retry-After " + mode.retryAfter().toSeconds() + " s)");
      }
      return 0;
    }
  }

  /** {@code we maintenance off}. */
  @Command(name = "off", header = "Send the project's hosts to the live slot again.",
      mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
  static final class Off implements Callable<Integer> {
    private final Session session;

    @Mixin ProjectEnvOptions target;

    Off(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      DeployKey key = target.key();
      boolean changed;
      try (DeployProviders providers = DeployProviders.forDeploy(session, key)) {
        changed = new ProjectMaintenance(providers.context()).off(key);
      }
      if (session.json()) {
        session.printJson(json(session, key, changed, Optional.empty()));
      } else {
        session.out().println(key + ": maintenance " + (changed ? "off" : "already off"));
      }
      return 0;
    }
  }
}
