package kr.codeb.mcp.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kr.codeb.deploy.SwitchResult;
import kr.codeb.model.Slot;

/** The result of {@code promote} and {@code rollback}: {@code we promote --json}'s shape. */
final class SwitchOutput {
  private SwitchOutput() {}

  static Schema schema() {
    return Fields.keyOut(Schema.output())
        .out("from", "The slot traffic went to before (null: none).", "string", "null")
        .out("to", "The slot traffic goes to now.", "string")
        .out("port", "Its host port.", "integer")
        .out("image", "Its image.", "string")
        .out("release", "Its release id.", "string")
        .out("changed", "False when traffic was already there (nothing changed).", "boolean")
        .out("environmentNote", "When a release was recreated: whether its environment is the"
            + " one it had (null otherwise).", "string", "null");
  }

  static CodeBTool.Result result(ToolCall call, SwitchResult r) {
    String from = r.from().map(Slot::id).orElse("nothing");
    ObjectNode json = call.json().switched(r);
    return new CodeBTool.Result(json, r.key() + ": " + (r.changed()
        ? "traffic moved from " + from + " to " + r.to()
        : "traffic already on " + r.to() + " (nothing changed)")
        + " (port " + r.port() + ", " + r.image() + ", release " + r.release() + ")"
        + r.environment().map(e -> "; " + e).orElse(""));
  }
}
