package kr.codeb.mcp.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kr.codeb.cli.internal.CliServices;
import kr.codeb.deploy.DeployKey;

/** {@code env_keys}: {@code we env keys}, names only. */
final class EnvKeysTool extends CodeBTool {
  @Override
  String name() {
    return "env_keys";
  }

  @Override
  String title() {
    return "List the keys of a project's env file";
  }

  @Override
  String description() {
    return "The names set in a project's env file on its app server (the file `we deploy`"
        + " gives the new slot), in file order. Never returns a value. Needs the SSOT store and"
        + " SSH to the app server (or the env folder on this machine).";
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
        .out("location", "Where the env file is: server and path.", "string")
        .out("exists", "Whether the env file exists.", "boolean")
        .out("keys", "The names set, in file order.", "array");
  }

  @Override
  Result call(Params params, ToolCall call) {
    DeployKey key = Fields.key(params);
    CliServices.EnvKeys keys = call.services().envKeys(key);
    ObjectNode root = call.json().key(key);
    root.put("location", keys.location());
    root.put("exists", keys.exists());
    keys.keys().forEach(root.putArray("keys")::add);
    return new Result(root, key + ": " + (keys.exists()
        ? (keys.keys().isEmpty() ? "no keys" : String.join(", ", keys.keys()))
        : "no env file") + " (" + keys.location() + ")");
  }
}
