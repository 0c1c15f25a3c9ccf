package kr.codeb.mcp.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kr.codeb.cli.internal.DeployWork;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.HealthReport;

/** {@code health}: {@code we health}. */
final class HealthTool extends CodeBTool {
  @Override
  String name() {
    return "health";
  }

  @Override
  String title() {
    return "Probe the live slot's health";
  }

  @Override
  String description() {
    return "Probe the live slot's health path once. An unhealthy app is a result with"
        + " healthy=false, not an error. Needs the SSOT store, the container runtime and the"
        + " reverse proxy.";
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
        .out("slot", "The live slot probed.", "string")
        .out("port", "Its host port.", "integer")
        .out("path", "The health path.", "string")
        .out("healthy", "Whether it answered 2xx/3xx.", "boolean")
        .out("status", "The HTTP status (0: no answer).", "integer")
        .out("detail", "What the probe saw.", "string");
  }

  @Override
  Result call(Params params, ToolCall call) {
    DeployKey key = Fields.key(params);
    HealthReport h;
    try (DeployWork work = call.services().openDeploy(key)) {
      h = work.deployments().health(key);
    }
    ObjectNode n = call.json().key(key);
    n.put("slot", h.slot().id());
    n.put("port", h.port());
    n.put("path", h.path());
    n.put("healthy", h.healthy());
    n.put("status", h.status());
    n.put("detail", h.detail());
    return new Result(n, key + ": " + (h.healthy() ? "healthy" : "UNHEALTHY") + " (" + h.slot()
        + ", port " + h.port() + ", GET " + h.path() + ": " + h.detail() + ")");
  }
}
