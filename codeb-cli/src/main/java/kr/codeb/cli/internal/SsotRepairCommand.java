package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import kr.codeb.ports.PortChange;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.RepairPolicy;
import kr.codeb.ports.RepairReport;
import kr.codeb.ports.SsotStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code we ssot repair}: fixes what can be fixed safely and reports what is left. */
@Command(
    name = "repair", header = "Repair the SSOT's inconsistencies (--dry-run only shows them).",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Rewrite ports.allocated to match the project entries (they are the truth),",
        "print each change, then the findings that remain. Ranges, out-of-range ports and",
        "ports claimed twice are never changed: they need a person."},
    footer = {"", "Exit codes: 0 nothing remains, 1 findings remain (or the repair failed),"
        + " 2 bad input."})
final class SsotRepairCommand implements Callable<Integer> {
  private final Session session;

  @Option(names = "--dry-run", description = "Compute and print the changes; write nothing.")
  boolean dryRun;

  @Option(names = "--drop-unclaimed",
      description = "Also remove records no project entry claims (orphans, stale records).")
  boolean dropUnclaimed;

  SsotRepairCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    RepairReport report;
    try (SsotStore store = session.openSsot()) {
      report = new PortOperations(store).repair(new RepairPolicy(dropUnclaimed, dryRun));
    }
    if (session.json()) {
      JsonOutput j = session.jsonOutput();
      ObjectNode root = j.object();
      root.put("written", report.written());
      ArrayNode changes = root.putArray("changes");
      report.changes().forEach(c -> changes.add(j.change(c)));
      root.set("remaining", j.findings(report.remaining()));
      session.printJson(root);
    } else {
      human(report, session.out());
    }
    return report.remaining().isEmpty() ? 0 : 1;
  }

  private void human(RepairReport report, PrintStream out) {
    for (PortChange c : report.changes()) {
      out.println(c.describe());
    }
    if (report.changes().isEmpty()) {
      out.println("nothing to change");
    } else if (report.written()) {
      out.println(SsotCheckCommand.count(report.changes().size(), "change") + " written");
    } else {
      out.println(SsotCheckCommand.count(report.changes().size(), "change")
          + (dryRun ? " (dry run: nothing written)" : " (not written)"));
    }
    SsotCheckCommand.printFindings(report.remaining(), out);
    out.println(report.remaining().isEmpty() ? "no findings remain"
        : SsotCheckCommand.count(report.remaining().size(), "finding") + " remain"
            + (dropUnclaimed ? "" : "; --drop-unclaimed also removes orphan and stale records"));
  }
}
