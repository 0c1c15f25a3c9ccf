package kr.codeb.mcp.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kr.codeb.cli.internal.DeployWork;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.SlotReport;
import kr.codeb.model.Slot;

/** {@code slot_status}: {@code we slot}. */
final class SlotStatusTool extends CodeBTool {
  @Override
  String name() {
    return "slot_status";
  }

  @Override
  String title() {
    return "Show both slots and the release history";
  }

  @Override
  String description() {
    return "Show the project's blue and green slots (port, container, state, health, image,"
        + " release), which one is live, its host names and the last releases. Reads only."
        + " Needs the SSOT store, the container runtime and the reverse proxy.";
  }

  @Override
  Effect effect() {
    return Effect.READ_ONLY;
  }

  @Override
  Schema input() {
    return Fields.projectEnvironment(Schema.input());
  }

  @Override
  Schema output() {
    return Fields.keyOut(Schema.output())
        .out("live", "The slot that takes traffic: blue, green, or null.", "string", "null")
        .out("hosts", "The host names of the project's route.", "array")
        .out("slots", "Both slots: {slot, port, live, container (or null), release, note}.",
            "array")
        .out("history", "The last releases, oldest first: {time, release, actor, image, slot,"
            + " port, outcome, message}.", "array");
  }

  @Override
  Result call(Params params, ToolCall call) {
    DeployKey key = Fields.key(params);
    SlotReport report;
    try (DeployWork work = call.services().openDeploy(key)) {
      report = work.deployments().status(key);
    }
    ObjectNode json = call.json().slots(report);
    return new Result(json, key + ": live " + report.live().map(Slot::id).orElse("none")
        + ", " + report.history().size() + " release(s) in the history");
  }
}
