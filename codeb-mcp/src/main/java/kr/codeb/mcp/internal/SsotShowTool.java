package kr.codeb.mcp.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kr.codeb.ports.Registry;
import kr.codeb.ports.SsotStore;

/** {@code ssot_show}: {@code we ssot show}. */
final class SsotShowTool extends CodeBTool {
  @Override
  String name() {
    return "ssot_show";
  }

  @Override
  String title() {
    return "Show the SSOT port registry";
  }

  @Override
  String description() {
    return "Show the SSOT port registry: the port range of each environment, every project's"
        + " blue/green ports, and the allocation records (ports.allocated). Needs the SSOT"
        + " store only.";
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
        .out("version", "The SSOT format version, e.g. 7.0.0.", "string")
        .out("revision", "The revision read (changes with every write).", "string")
        .out("ranges", "Port range per environment: {start, end}.", "object")
        .out("projects", "Per project, per environment: {blue, green} ports.", "object")
        .out("allocated", "ports.allocated: port -> {project, slot, environment}.", "object");
  }

  @Override
  Result call(Params params, ToolCall call) {
    Registry registry;
    try (SsotStore store = call.services().openSsot()) {
      registry = store.read();
    }
    ObjectNode json = call.json().ssot(registry);
    return new Result(json, "SSOT version " + registry.version() + ", revision "
        + registry.revision().value() + ": " + registry.portRanges().size() + " ranges, "
        + registry.projects().size() + " projects, " + registry.allocations().size()
        + " allocated ports");
  }
}
