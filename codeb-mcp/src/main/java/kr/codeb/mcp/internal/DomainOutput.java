package kr.codeb.mcp.internal;

import kr.codeb.domain.DomainReport;

/** The result of {@code domain_add} and {@code domain_remove}: {@code we domain add --json}. */
final class DomainOutput {
  private DomainOutput() {}

  static Schema report() {
    return Schema.output()
        .out("domain", "The domain (punycode).", "string")
        .out("unicode", "Its Unicode form when it has one.", "string", "null")
        .out("zone", "The enclosing zone.", "string", "null")
        .out("hosts", "The host names concerned.", "array")
        .out("planned", "True if this was a plan only (nothing written).", "boolean")
        .out("changed", "Whether anything changed (or would, for a plan).", "boolean")
        .out("changes", "Each change: {kind, target, action, detail}.", "array")
        .out("notes", "Notes for people.", "array");
  }

  static CodeBTool.Result result(ToolCall call, DomainReport r, boolean planned) {
    return new CodeBTool.Result(call.json().domainReport(r, planned), r.domain() + ": "
        + (!r.changed() ? "nothing to change" : planned ? r.changes().size()
            + " change(s) planned, nothing written" : r.changes().size() + " change(s) made"));
  }
}
