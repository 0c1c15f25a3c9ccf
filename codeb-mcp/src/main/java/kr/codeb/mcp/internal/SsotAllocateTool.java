package kr.codeb.mcp.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kr.codeb.deploy.DeployKey;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.ProjectPorts;
import kr.codeb.ports.SsotStore;

/** {@code ssot_allocate}: {@code we ssot allocate}. */
final class SsotAllocateTool extends CodeBTool {
  @Override
  String name() {
    return "ssot_allocate";
  }

  @Override
  String title() {
    return "Give a project blue and green ports";
  }

  @Override
  String description() {
    return "Give a project a blue/green port pair inside the environment's SSOT range, or"
        + " return the pair it already holds (nothing is written then). Idempotent. Needs the"
        + " SSOT store only.";
  }

  @Override
  Effect effect() {
    return Effect.CHANGES;
  }

  @Override
  boolean idempotent() {
    return true;
  }

  @Override
  Schema input() {
    return Fields.projectEnvironment(Schema.input());
  }

  @Override
  Schema output() {
    return Fields.keyOut(Schema.output())
        .out("blue", "The blue slot's host port.", "integer")
        .out("green", "The green slot's host port.", "integer")
        .out("created", "True if this call allocated the pair, false if it was held.",
            "boolean");
  }

  @Override
  Result call(Params params, ToolCall call) {
    DeployKey key = Fields.key(params);
    ProjectPorts result;
    try (SsotStore store = call.services().openSsot()) {
      result = new PortOperations(store).allocate(key.project(), key.environment());
    }
    ObjectNode root = call.json().key(key);
    root.put("blue", result.ports().blue());
    root.put("green", result.ports().green());
    root.put("created", result.created());
    return new Result(root, key + ": blue " + result.ports().blue() + ", green "
        + result.ports().green() + (result.created() ? " (allocated)" : " (already held)"));
  }
}
