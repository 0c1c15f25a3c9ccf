package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.ProjectMaintenance;
import kr.codeb.deploy.ReleaseRecord;
import kr.codeb.deploy.ServerSlot;
import kr.codeb.deploy.SlotReport;
import kr.codeb.deploy.SlotState;
import kr.codeb.proxy.Maintenance;
import kr.codeb.runtime.ContainerInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code we slot PROJECT --env ENV}: both slots, the live one, the hosts, recent history. */
@Command(
    name = "slot", header = "Show both slots, which one is live, and the release history.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Show the project's blue and green slots (port, container, health, image,",
        "release), which one is live, its host names and the last "
            + DeployJson.HISTORY_LINES + " releases."})
final class SlotCommand implements Callable<Integer> {
  private final Session session;

  @Mixin ProjectEnvOptions target;

  SlotCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    DeployKey key = target.key();
    SlotReport report;
    Optional<Maintenance> maintenance;
    try (DeployProviders providers = DeployProviders.forDeploy(session, key)) {
      report = providers.deployments().status(key);
      maintenance = new ProjectMaintenance(providers.context()).status(key);
    }
    if (session.json()) {
      ObjectNode n = new DeployJson(session.jsonOutput()).slots(report);
      ObjectNode m = n.putObject("maintenance");
      m.put("on", maintenance.isPresent());
      maintenance.ifPresent(mode -> {
        m.put("message", mode.message());
        m.put("retryAfterSeconds", mode.retryAfter().toSeconds());
      });
      session.printJson(n);
      return 0;
    }
    PrintStream out = session.out();
    out.println(key + ": live " + report.live().map(s -> s.id()).orElse("none"));
    out.println("maintenance: " + maintenance.map(mode -> "ON (503, Retry-After "
        + mode.retryAfter().toSeconds() + " s: " + mode.message() + ")").orElse("off"));
    out.println("hosts: " + (report.hosts().isEmpty() ? "(none)" : String.join(", ",
        report.hosts())));
    boolean several = report.slots().get(0).servers().size() > 1;
    Table slots = several
        ? new Table("", "SLOT", "SERVER", "PORT", "CONTAINER", "STATE", "HEALTH", "IMAGE",
            "RELEASE")
        : new Table("", "SLOT", "PORT", "CONTAINER", "STATE", "HEALTH", "IMAGE", "RELEASE");
    for (SlotState s : report.slots()) {
      for (ServerSlot on : s.servers()) {
        ContainerInfo c = on.container().orElse(null);
        row(slots, several, on.server(), s.live() ? "*" : "", s.slot(), s.port(),
            c == null ? "-" : c.name(), c == null ? "-" : lower(c.state()),
            c == null ? "-" : lower(c.health()), c == null ? "-" : c.image(),
            on.release().orElse("-"));
        for (ContainerInfo w : on.workers()) {
          row(slots, several, on.server(), "", s.slot(), "-", w.name(), lower(w.state()),
              lower(w.health()), w.image(), w.labels().getOrDefault("codeb.release", "-"));
        }
      }
    }
    slots.print(out, "");
    for (SlotState s : report.slots()) {
      DeployJson.emptyNote(s).ifPresent(note -> out.println(s.slot() + ": " + note));
    }
    List<ReleaseRecord> history = DeployJson.lastHistory(report);
    if (history.isEmpty()) {
      out.println("history: (none)");
      return 0;
    }
    out.println("history (last " + DeployJson.HISTORY_LINES + "):");
    Table t = new Table("TIME", "RELEASE", "OUTCOME", "SLOT", "PORT", "IMAGE", "ACTOR", "MESSAGE");
    for (ReleaseRecord r : history) {
      t.row(r.time(), r.release(), r.outcome().id(), r.slot(), r.port(), r.image(), r.actor(),
          r.message());
    }
    t.print(out, "  ");
    return 0;
  }

  /** A row, with the server's column after the slot when the project runs on several. */
  private static void row(Table t, boolean several, String server, Object live, Object slot,
      Object port, Object... rest) {
    java.util.List<Object> cells = new java.util.ArrayList<>(List.of(live, slot));
    if (several) {
      cells.add(server);
    }
    cells.add(port);
    cells.addAll(List.of(rest));
    t.row(cells.toArray());
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
