package kr.codeb.mcp.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kr.codeb.cli.internal.CliServices;
import kr.codeb.deploy.DeployKey;
import kr.codeb.env.EnvFile;

/** {@code env_set}: {@code we env set}; returns key names, never values. */
final class EnvSetTool extends CodeBTool {
  static final String ENV_ALLOWED = "KEY=VALUE strings (KEY: capital letters, digits and '_',"
      + " not starting with a digit; VALUE: any text without NUL)";

  @Override
  String name() {
    return "env_set";
  }

  @Override
  String title() {
    return "Set values in a project's env file";
  }

  @Override
  String description() {
    return "Set values in a project's env file on every app server that runs it (mode 0600,"
        + " written atomically); the next deploy gives them to the new slot. Idempotent:"
        + " setting the values it already has writes nothing (changed=false). Returns the keys"
        + " added and changed, never a value. Needs the SSOT store and SSH to the app server"
        + " (or the env folder on this machine).";
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
    return Fields.projectEnvironment(Schema.input())
        .strings("env", "The values to set, as " + ENV_ALLOWED + ". Values are never returned"
            + " or logged.", true);
  }

  @Override
  Schema output() {
    return Fields.keyOut(Schema.output())
        .out("location", "Where the env file is: server and path.", "string")
        .out("changed", "Whether the file changed (false: it already held these values).",
            "boolean")
        .out("added", "The keys added.", "array")
        .out("updated", "The keys whose value changed.", "array");
  }

  @Override
  Result call(Params params, ToolCall call) {
    DeployKey key = Fields.key(params);
    List<String> pairs = params.strings("env", ENV_ALLOWED);
    call.secrets(pairs.stream().map(p -> p.substring(p.indexOf('=') + 1)).toList());
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < pairs.size(); i++) {
      String pair = pairs.get(i);
      int eq = pair.indexOf('=');
      if (eq < 0) {
        throw new ToolInputException("env", "item " + (i + 1) + ": expected " + ENV_ALLOWED
            + " (there is no '=')");
      }
      String k = pair.substring(0, eq);
      try {
        values.put(EnvFile.checkKey(k), EnvFile.checkValue(k, pair.substring(eq + 1)));
      } catch (kr.codeb.InvalidRequestException e) {
        throw new ToolInputException("env", e.getMessage());
      }
    }
    if (values.isEmpty()) {
      throw new ToolInputException("env", "give at least one " + ENV_ALLOWED);
    }
    CliServices.EnvChange change = call.services().envSet(key, values);
    ObjectNode root = call.json().key(key);
    root.put("location", change.location());
    root.put("changed", !change.diff().isEmpty());
    ArrayNode added = root.putArray("added");
    change.diff().added().forEach(added::add);
    ArrayNode updated = root.putArray("updated");
    change.diff().changed().forEach(updated::add);
    List<String> parts = new ArrayList<>();
    if (!change.diff().added().isEmpty()) {
      parts.add("added " + String.join(", ", change.diff().added()));
    }
    if (!change.diff().changed().isEmpty()) {
      parts.add("changed " + String.join(", ", change.diff().changed()));
    }
    return new Result(root, key + ": " + (parts.isEmpty() ? "unchanged"
        : String.join("; ", parts)) + " (" + change.location() + ")");
  }
}
