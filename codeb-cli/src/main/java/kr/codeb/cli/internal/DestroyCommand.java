package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import kr.codeb.InvalidRequestException;
import kr.codeb.deploy.DeployKey;
import kr.codeb.init.InitPlan;
import kr.codeb.init.InitProgress;
import kr.codeb.init.InitRequest;
import kr.codeb.init.InitResult;
import kr.codeb.init.StepAction;
import kr.codeb.init.StepPlan;
import kr.codeb.init.StepResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code we destroy}: undoes what {@code we init} created, in reverse order, and only that. */
@Command(
    name = "destroy", header = "Undo what we init created for a project, and only that.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Reads the init journal, prints what it will remove, and removes it in",
        "reverse order. Data volumes and credentials stay unless --delete-data is given. Asks",
        "on a terminal; elsewhere --yes is required."})
final class DestroyCommand implements Callable<Integer> {
  private final Session session;
  @Mixin ProjectEnvOptions target;

  @Option(names = "--delete-data", description = "Also delete data volumes and credentials.")
  boolean deleteData;

  @Option(names = "--yes", description = "Do not ask for confirmation.")
  boolean yes;

  DestroyCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    DeployKey key = target.key();
    Optional<InitRequest> recorded = InitSetup.recorded(session, key);
    if (recorded.isEmpty()) {
      String what = key + ": no init journal (" + InitSetup.journal(session).file(key)
          + "); nothing init created is recorded, nothing removed";
      if (session.json()) {
        ObjectNode root = session.jsonOutput().object();
        root.put("project", key.project().value()).put("environment", key.environment().name())
            .put("changed", false).put("note", what);
        session.printJson(root);
      } else {
        session.out().println(what);
      }
      return 0;
    }
    try (InitSetup setup = InitSetup.forDestroy(session, recorded.get())) {
      InitPlan plan = setup.plan();
      List<StepPlan> plans = plan.destroyPlan(deleteData);
      if (!session.json()) {
        Table t = new Table("STEP", "ACTION", "DETAIL");
        plans.forEach(p -> t.row(p.step(), p.action(), String.join("; ", p.details())));
        t.print(session.out(), "");
      }
      if (plans.stream().noneMatch(p -> p.action() == StepAction.DELETE)) {
        if (!session.json()) {
          session.out().println(key + ": nothing to remove");
        }
      } else if (!yes) {
        String what = "everything init created for " + key + (deleteData ? ", with its data"
            : " (data kept)");
        boolean confirmed = session.askYesNo("Remove " + what + "?").orElseThrow(() ->
            new InvalidRequestException("not removing " + what + " without confirmation: pass"
                + " --yes (no terminal to ask on)"));
        if (!confirmed) {
          session.out().println("nothing removed");
          return 1;
        }
      }
      InitResult result = plan.destroy(deleteData, InitProgress.SILENT);
      if (session.json()) {
        ObjectNode root = session.jsonOutput().object();
        root.put("project", key.project().value()).put("environment", key.environment().name())
            .put("deleteData", deleteData);
        ArrayNode steps = root.putArray("steps");
        for (StepResult r : result.steps()) {
          InitCommand.step(steps.addObject(), r.step(), r.title(), r.action(), r.details(),
              r.reason());
        }
        ArrayNode notes = root.putArray("notes");
        result.notes().forEach(notes::add);
        session.printJson(root);
      } else {
        result.steps().stream().filter(r -> r.action() == StepAction.DELETE)
            .forEach(r -> r.details().forEach(d -> session.out().println(r.step() + ": " + d)));
        result.notes().forEach(n -> session.out().println("note: " + n));
        session.out().println(key + ": destroyed");
      }
      return 0;
    }
  }
}
