package kr.codeb.mcp.internal;

import kr.codeb.firewall.FirewallOperations;
import kr.codeb.firewall.FirewallProvider;
import kr.codeb.firewall.FirewallRule;

/** {@code firewall_allow}: {@code we firewall allow}. */
final class FirewallAllowTool extends CodeBTool {
  @Override
  String name() {
    return "firewall_allow";
  }

  @Override
  String title() {
    return "Allow traffic to a port from a source";
  }

  @Override
  String description() {
    return "Allow traffic to a port from a source in a cloud firewall group. Idempotent: an"
        + " existing rule for the same traffic is kept and reported with changed=false. Needs"
        + " the firewall provider (vultr://, with VULTR_API_KEY in the server's environment).";
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
    return FirewallFields.rule(FirewallFields.group(Schema.input()));
  }

  @Override
  Schema output() {
    return FirewallFields.changeOutput();
  }

  @Override
  Result call(Params params, ToolCall call) {
    String group = FirewallFields.group(params);
    FirewallRule rule = FirewallFields.rule(params);
    FirewallOperations.Change change;
    try (FirewallProvider firewall = call.services().openFirewall()) {
      change = new FirewallOperations(firewall).allow(group, rule);
    }
    return FirewallFields.change(call, change, "allowed", "already allowed");
  }
}
