package kr.codeb.mcp.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import kr.codeb.ports.Finding;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.SsotStore;

/** {@code ssot_check}: {@code we ssot check}. */
final class SsotCheckTool extends CodeBTool {
  @Override
  String name() {
    return "ssot_check";
  }

  @Override
  String title() {
    return "Find inconsistencies in the SSOT";
  }

  @Override
  String description() {
    return "Check the SSOT port registry for inconsistencies: a project's port held by another"
        + " project in ports.allocated, orphan records, ports outside their range, overlapping"
        + " ranges, blue == green. Reads only; findings are the result, not an error. Needs"
        + " the SSOT store only.";
  }

  @Override
  Effect effect() {
    return Effect.READ_ONLY;
  }

  @Override
  Schema input() {
    return Schema.input();
  }

  @Override
  Schema output() {
    return Schema.output()
        .out("findings", "One per problem: {kind, port (or null), projects, environments,"
            + " message}.", "array")
        .out("count", "How many findings.", "integer");
  }

  @Override
  Result call(Params params, ToolCall call) {
    List<Finding> findings;
    try (SsotStore store = call.services().openSsot()) {
      findings = new PortOperations(store).check();
    }
    ObjectNode root = call.json().object();
    root.set("findings", call.json().findings(findings));
    root.put("count", findings.size());
    return new Result(root, findings.isEmpty() ? "no findings" : findings.size()
        + " finding(s): " + findings.stream().map(f -> f.kind().id()
            + f.port().map(p -> " " + p).orElse("")).distinct().toList());
  }
}
