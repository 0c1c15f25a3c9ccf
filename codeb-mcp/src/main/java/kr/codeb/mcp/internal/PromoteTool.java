package kr.codeb.mcp.internal;

import java.util.List;
import java.util.Optional;
import kr.codeb.cli.internal.DeployWork;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.SwitchResult;
import kr.codeb.model.Slot;

/** {@code promote}: {@code we promote}. */
final class PromoteTool extends CodeBTool {
  @Override
  String name() {
    return "promote";
  }

  @Override
  String title() {
    return "Switch traffic to a slot";
  }

  @Override
  String description() {
    return "Switch the project's traffic to a slot (the idle one by default) after checking"
        + " that its container runs and is healthy. Promoting the live slot changes nothing."
        + " Needs the SSOT store, the container runtime and the reverse proxy.";
  }

  @Override
  Effect effect() {
    return Effect.CHANGES;
  }

  @Override
  Schema input() {
    return Fields.projectEnvironment(Schema.input())
        .stringEnum("slot", "The slot to send traffic to (default: the idle one).", false,
            List.of("blue", "green"));
  }

  @Override
  Schema output() {
    return SwitchOutput.schema();
  }

  @Override
  Result call(Params params, ToolCall call) {
    DeployKey key = Fields.key(params);
    Optional<Slot> slot = params.oneOf("slot", List.of("blue", "green")).map(Slot::parse);
    SwitchResult result;
    try (DeployWork work = call.services().openDeploy(key)) {
      result = work.deployments().promote(key, slot, call.services().actor());
    }
    return SwitchOutput.result(call, result);
  }
}
