package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import kr.codeb.doctor.Doctor;
import kr.codeb.doctor.DoctorPlan;
import kr.codeb.doctor.Drift;
import kr.codeb.doctor.Fix;
import kr.codeb.doctor.FixOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code we doctor [--fix] [--yes]}: what CodeB believes against what the fleet runs, through
 * {@link Doctor}. Exit 0 when nothing drifted (after {@code --fix}: when nothing is left), 1
 * when something did or a check could not run, 2 for bad input.
 */
@Command(
    name = "doctor", header = "Find drift between the SSOT and the fleet, and fix it.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Compare the SSOT and the release history with the containers on every app",
        "and storage server, the routes and settings in Caddy, the domains' records in",
        "PowerDNS, the firewall groups and the databases of the storage servers. Each drift",
        "has a stable kind, what each side says,",
        "and its fix. --fix prints the plan and applies it after confirmation on a terminal,",
        "or at once with --yes; it never removes a container, an image or a volume, nor",
        "changes anything CodeB did not make."},
    footer = {"", "Exit codes: 0 no drift (after --fix: none left), 1 drift found or left, or a"
        + " check failed, 2 bad input."})
final class DoctorCommand implements Callable<Integer> {
  private final Session session;

  @Option(names = "--fix", description = "Print the plan of fixes and apply it.")
  boolean fix;

  @Option(names = "--yes", description = "With --fix: apply without asking.")
  boolean yes;

  DoctorCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    if (yes && !fix) {
      throw new kr.codeb.InvalidRequestException("--yes only goes with --fix: run `we doctor"
          + " --fix --yes` to apply the fixes without asking");
    }
    try (DoctorProviders providers = new DoctorProviders(session)) {
      Doctor doctor = new Doctor(providers.context());
      DoctorPlan plan = doctor.examine();
      List<String> notes = new ArrayList<>(providers.notes());
      notes.addAll(plan.notes());
      if (!fix) {
        return report(plan, notes);
      }
      return fix(doctor, plan, notes);
    }
  }

  private int report(DoctorPlan plan, List<String> notes) {
    if (session.json()) {
      ObjectNode root = planJson(session.jsonOutput(), plan, notes);
      session.printJson(root);
    } else {
      printDrifts(plan, notes, session.out());
      long fixable = plan.fixes().size();
      session.out().println(plan.drifts().isEmpty() ? "no drift"
          : SsotCheckCommand.count(plan.drifts().size(), "drift") + ", " + fixable
              + " fixed by 'we doctor --fix'");
    }
    return plan.clean() ? 0 : 1;
  }

  private int fix(Doctor doctor, DoctorPlan plan, List<String> notes) {
    List<Fix> fixes = plan.fixes();
    PrintStream out = session.out();
    if (!session.json()) {
      printDrifts(plan, notes, out);
      printPlan(plan, out);
    }
    boolean confirmed = !fixes.isEmpty() && (yes || confirm(fixes.size()));
    if (!confirmed) {
      if (session.json()) {
        ObjectNode root = planJson(session.jsonOutput(), plan, notes);
        root.put("applied", false);
        session.printJson(root);
      } else if (!fixes.isEmpty()) {
        out.println("not applied: confirm on a terminal, or pass --yes");
      } else {
        out.println(plan.drifts().isEmpty() ? "no drift" : "nothing CodeB can fix by itself");
      }
      return plan.clean() ? 0 : 1;
    }
    List<FixOutcome> outcomes = doctor.apply(plan);
    DoctorPlan after = doctor.examine();
    if (session.json()) {
      session.printJson(appliedJson(session.jsonOutput(), plan, notes, outcomes, after));
    } else {
      for (FixOutcome o : outcomes) {
        if (o.applied()) {
          out.println("fixed: " + o.drift().kind().id() + " " + o.drift().subject());
        } else if (o.error().isPresent()) {
          out.println("FAILED: " + o.drift().kind().id() + " " + o.drift().subject() + ": "
              + o.error().get());
        }
      }
      out.println(after.drifts().isEmpty() ? "after the fixes: no drift"
          : "after the fixes: " + SsotCheckCommand.count(after.drifts().size(), "drift")
              + " left");
      after.drifts().forEach(d -> printDrift(d, out));
      after.failures().forEach(f -> out.println("not checked: " + f));
    }
    return after.clean() ? 0 : 1;
  }

  /**
   * The {@code --json} document of {@code we doctor} ({@code fix}: of {@code --fix --yes}), for
   * the MCP server: the plan, and after fixing the outcomes and the plan found after them.
   */
  static ObjectNode json(Session session, boolean fix) {
    try (DoctorProviders providers = new DoctorProviders(session)) {
      Doctor doctor = new Doctor(providers.context());
      DoctorPlan plan = doctor.examine();
      List<String> notes = new ArrayList<>(providers.notes());
      notes.addAll(plan.notes());
      if (!fix || plan.fixes().isEmpty()) {
        ObjectNode root = planJson(session.jsonOutput(), plan, notes);
        root.put("applied", false);
        return root;
      }
      List<FixOutcome> outcomes = doctor.apply(plan);
      return appliedJson(session.jsonOutput(), plan, notes, outcomes, doctor.examine());
    }
  }

  private static ObjectNode appliedJson(JsonOutput json, DoctorPlan plan, List<String> notes,
      List<FixOutcome> outcomes, DoctorPlan after) {
    ObjectNode root = planJson(json, plan, notes);
    root.put("applied", true);
    ArrayNode results = root.putArray("outcomes");
    for (FixOutcome o : outcomes) {
      ObjectNode n = results.addObject();
      n.put("kind", o.drift().kind().id());
      n.put("subject", o.drift().subject());
      n.put("applied", o.applied());
      o.error().ifPresentOrElse(e -> n.put("error", e), () -> n.putNull("error"));
    }
    root.set("after", planJson(json, after, after.notes()));
    return root;
  }

  private boolean confirm(int count) {
    return !session.json()
        && session.askYesNo("Apply these " + count + " changes?").orElse(false);
  }

  private static void printDrifts(DoctorPlan plan, List<String> notes, PrintStream out) {
    notes.forEach(n -> out.println("note: " + n));
    plan.failures().forEach(f -> out.println("not checked: " + f));
    plan.drifts().forEach(d -> printDrift(d, out));
  }

  /** {@code kind subject: expected ...; found ...} and the fix on the next line. */
  private static void printDrift(Drift d, PrintStream out) {
    out.println(d.kind().id() + " " + d.subject() + ": expected " + d.expected() + "; found "
        + d.actual());
    Fix f = d.fix();
    out.println("  fix: " + f.action().id() + " " + f.kind() + " " + f.target() + ": "
        + f.detail());
  }

  /** The fixes as {@code we domain} prints its changes: ACTION KIND TARGET DETAIL. */
  private static void printPlan(DoctorPlan plan, PrintStream out) {
    if (plan.drifts().isEmpty()) {
      return;
    }
    out.println();
    Table t = new Table("ACTION", "KIND", "TARGET", "DETAIL");
    plan.drifts().forEach(d -> t.row(d.fix().action().id(), d.fix().kind(), d.fix().target(),
        d.fix().detail()));
    t.print(out, "");
  }

  /**
   * The stable JSON of a plan: {@code {"clean":..,"drifts":[{"kind","area","subject",
   * "expected","actual","fix":{"action","kind","target","detail","automatic"}}],"notes":[..],
   * "failures":[..]}}.
   */
  static ObjectNode planJson(JsonOutput json, DoctorPlan plan, List<String> notes) {
    ObjectNode root = json.object();
    root.put("clean", plan.clean());
    ArrayNode drifts = root.putArray("drifts");
    for (Drift d : plan.drifts()) {
      ObjectNode n = drifts.addObject();
      n.put("kind", d.kind().id());
      n.put("area", d.kind().area().id());
      n.put("subject", d.subject());
      n.put("expected", d.expected());
      n.put("actual", d.actual());
      ObjectNode f = n.putObject("fix");
      f.put("action", d.fix().action().id());
      f.put("kind", d.fix().kind());
      f.put("target", d.fix().target());
      f.put("detail", d.fix().detail());
      f.put("automatic", d.fix().automatic());
    }
    ArrayNode n = root.putArray("notes");
    notes.forEach(n::add);
    ArrayNode failures = root.putArray("failures");
    plan.failures().forEach(failures::add);
    return root;
  }
}
