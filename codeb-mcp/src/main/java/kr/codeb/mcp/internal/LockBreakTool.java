package kr.codeb.mcp.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kr.codeb.cli.internal.DeployWork;
import kr.codeb.deploy.DeployKey;

/** {@code lock_break}: {@code we lock break}. */
final class LockBreakTool extends CodeBTool {
  @Override
  String name() {
    return "lock_break";
  }

  @Override
  String title() {
    return "Break a project's deploy lock";
  }

  @Override
  String description() {
    return "Remove the project's deploy lock, whoever holds it; use it only when that deploy is"
        + " gone (lock_show says whether its holder is alive). Destructive: needs confirm:"
        + " true. Idempotent. Needs the SSOT store only.";
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
    return Fields.projectEnvironment(Schema.input()).confirm("break the deploy lock");
  }

  @Override
  Schema output() {
    return Fields.keyOut(Schema.output())
        .out("broken", "True if a lock was removed, false if there was none.", "boolean");
  }

  @Override
  Result call(Params params, ToolCall call) {
    DeployKey key = Fields.key(params);
    boolean broken;
    try (DeployWork work = call.services().openLocks(key)) {
      broken = work.releases().breakLock(key);
    }
    ObjectNode n = call.json().key(key);
    n.put("broken", broken);
    return new Result(n, key + ": " + (broken ? "lock broken" : "was not locked"));
  }
}
