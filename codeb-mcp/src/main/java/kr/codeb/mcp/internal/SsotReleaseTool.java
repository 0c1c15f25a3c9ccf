package kr.codeb.mcp.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kr.codeb.deploy.DeployKey;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.SsotStore;

/** {@code ssot_release}: {@code we ssot release}. */
final class SsotReleaseTool extends CodeBTool {
  @Override
  String name() {
    return "ssot_release";
  }

  @Override
  String title() {
    return "Free a project's ports";
  }

  @Override
  String description() {
    return "Give a project's blue/green ports in an environment back to the SSOT. Destructive:"
        + " the ports may go to another project; needs confirm: true. Idempotent: releasing"
        + " what is not held returns released=false. Needs the SSOT store only.";
  }

  @Override
  Effect effect() {
    return Effect.DESTRUCTIVE;
  }

  @Override
  boolean idempotent() {
    return true;
  }

  @Override
  Schema input() {
    return Fields.projectEnvironment(Schema.input())
        .confirm("give the project's ports back to the SSOT");
  }

  @Override
  Schema output() {
    return Fields.keyOut(Schema.output())
        .out("released", "True if ports were released, false if none were held.", "boolean");
  }

  @Override
  Result call(Params params, ToolCall call) {
    DeployKey key = Fields.key(params);
    boolean released;
    try (SsotStore store = call.services().openSsot()) {
      released = new PortOperations(store).release(key.project(), key.environment());
    }
    ObjectNode root = call.json().key(key);
    root.put("released", released);
    return new Result(root, key + ": " + (released ? "released" : "held no ports"));
  }
}
