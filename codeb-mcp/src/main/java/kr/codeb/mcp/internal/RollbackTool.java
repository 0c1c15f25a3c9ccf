package kr.codeb.mcp.internal;

import java.nio.file.Path;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.cli.internal.DeployWork;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.EnvResolver;
import kr.codeb.deploy.SwitchResult;

/** {@code rollback}: {@code we rollback}. */
final class RollbackTool extends CodeBTool {
  @Override
  String name() {
    return "rollback";
  }

  @Override
  String title() {
    return "Switch traffic back to the previous release";
  }

  @Override
  String description() {
    return "Switch the project's traffic back to the previous release: the other slot when its"
        + " container still runs and is healthy, else that release's image deployed again"
        + " (its environment from envFile/env if given, else from the env file it recorded)."
        + " Destructive: the current release stops taking traffic; needs confirm: true. Needs"
        + " the SSOT store, the container runtime and the reverse proxy.";
  }

  @Override
  Effect effect() {
    return Effect.DESTRUCTIVE;
  }

  @Override
  Schema input() {
    return Fields.projectEnvironment(Schema.input())
        .confirm("move the project's traffic back to its previous release")
        .string("envFile", "If the previous release must be recreated: its environment from"
            + " this file (default: the env file it was deployed with).", false)
        .strings("env", "If the previous release must be recreated: KEY=VALUE variables of its"
            + " environment. Values are never returned or logged.", false)
        .bool("allowInsecureEnvFile", "Use an env file that its group or other users may read"
            + " (default false).", false);
  }

  @Override
  Schema output() {
    return SwitchOutput.schema();
  }

  @Override
  Result call(Params params, ToolCall call) {
    DeployKey key = Fields.key(params);
    Optional<Path> envFile = params.optionalString("envFile", "a file path").map(Path::of);
    java.util.List<String> pairs = params.strings("env", "KEY=VALUE strings");
    call.secrets(pairs.stream().map(p -> p.substring(p.indexOf('=') + 1)).toList());
    EnvResolver env = call.services().rollbackEnvironment(key, envFile,
        params.bool("allowInsecureEnvFile", false), pairs, values -> call.secrets(
            values.values()));
    SwitchResult result;
    try (DeployWork work = call.services().openDeploy(key)) {
      result = work.deployments().rollback(key, call.services().actor(), env,
          call.services().processes(key));
    } catch (InvalidRequestException e) {
      throw new InvalidRequestException(e.getMessage()
          .replace("-e KEY=VALUE", "env: [\"KEY=VALUE\"]").replace("--env-file", "envFile")
          .replace("with --env-file or -e", "with envFile or env"));
    }
    return SwitchOutput.result(call, result);
  }
}
