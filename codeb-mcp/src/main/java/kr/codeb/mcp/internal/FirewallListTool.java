package kr.codeb.mcp.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import kr.codeb.firewall.FirewallProvider;
import kr.codeb.firewall.FirewallRule;

/** {@code firewall_list}: {@code we firewall list}. */
final class FirewallListTool extends CodeBTool {
  @Override
  String name() {
    return "firewall_list";
  }

  @Override
  String title() {
    return "List a firewall group's rules";
  }

  @Override
  String description() {
    return "List the rules of a cloud firewall group (rules with a Cloudflare or load-balancer"
        + " source are not shown). Needs the firewall provider (vultr://, with VULTR_API_KEY"
        + " in the server's environment).";
  }

  @Override
  Effect effect() {
    return Effect.READ_ONLY;
  }

  @Override
  Schema input() {
    return FirewallFields.group(Schema.input());
  }

  @Override
  Schema output() {
    return Schema.output()
        .out("group", "The group.", "string")
        .out("rules", "Each rule: {protocol, port (or null), subnet, prefix, note}.", "array");
  }

  @Override
  Result call(Params params, ToolCall call) {
    String group = FirewallFields.group(params);
    List<FirewallRule> rules;
    try (FirewallProvider firewall = call.services().openFirewall()) {
      rules = firewall.rules(group);
    }
    ObjectNode root = call.json().object();
    root.put("group", group);
    ArrayNode array = root.putArray("rules");
    rules.forEach(r -> array.add(call.json().rule(r)));
    return new Result(root, rules.size() + " rule(s) in firewall group " + group);
  }
}
