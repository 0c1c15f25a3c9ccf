package kr.codeb.mcp.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code doctor}: {@code we doctor}, and with {@code fix} and {@code confirm} its fixes. */
final class DoctorTool extends CodeBTool {
  @Override
  String name() {
    return "doctor";
  }

  @Override
  String title() {
    return "Find (and fix) drift between the SSOT and the fleet";
  }

  @Override
  String description() {
    return "Compare the SSOT and the release history with the containers on every app and"
        + " storage server (apps and databases), the routes and settings of the proxy, the"
        + " domains' DNS records and the firewall groups. Each drift has a stable kind, what"
        + " each side says, and its fix. Reads only unless fix is true; fix: true applies"
        + " every automatic fix and needs confirm: true (it never removes a data volume nor"
        + " anything CodeB did not make), then reports what is left. Needs the config file's"
        + " servers (or --runtime, --proxy, --dns, --firewall of the server).";
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
    return Schema.input()
        .bool("fix", "Apply the automatic fixes (needs confirm: true). Default false: report"
            + " only.", false)
        .bool("confirm", "Must be true with fix: confirms that you mean to change the fleet.",
            false);
  }

  @Override
  Schema output() {
    return Schema.output()
        .out("clean", "Whether no drift was found and every check ran.", "boolean")
        .out("drifts", "One per drift: {kind, area, subject, expected, actual, fix: {action,"
            + " kind, target, detail, automatic}}.", "array")
        .out("notes", "What was not compared, and why.", "array")
        .out("failures", "Checks that could not run.", "array")
        .out("applied", "Whether fixes were applied.", "boolean")
        .optionalOut("outcomes", "With fix: one per fix {kind, subject, applied, error}.",
            "array")
        .optionalOut("after", "With fix: the report of a run after the fixes.", "object");
  }

  @Override
  Result call(Params params, ToolCall call) {
    boolean fix = params.bool("fix", false);
    if (fix && !params.bool("confirm", false)) {
      throw new ToolInputException("confirm", "must be true with fix: true: fixing changes the"
          + " fleet (call with fix: false first to see the plan)");
    }
    ObjectNode root = call.services().doctor(fix);
    int drifts = root.get("drifts").size();
    String text;
    if (!root.get("applied").asBoolean()) {
      text = drifts == 0 ? "no drift" : drifts + " drift(s)" + (fix ? ", nothing to fix"
          : "; call again with fix: true, confirm: true to fix the automatic ones");
    } else {
      int left = root.get("after").get("drifts").size();
      text = drifts + " drift(s) found, " + root.get("outcomes").size() + " fix(es) run; "
          + (left == 0 ? "no drift left" : left + " left");
    }
    return new Result(root, text);
  }
}
