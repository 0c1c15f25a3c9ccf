package kr.codeb.mcp.internal;

import kr.codeb.firewall.FirewallOperations;
import kr.codeb.firewall.FirewallProvider;
import kr.codeb.firewall.FirewallRule;

/** {@code firewall_revoke}: {@code we firewall revoke}. */
final class FirewallRevokeTool extends CodeBTool {
  @Override
  String name() {
    return "firewall_revoke";
  }

  @Override
  String title() {
    return "Revoke a firewall allow rule";
  }

  @Override
  String description() {
    return "Revoke the rule for that traffic (whatever its note) in a cloud firewall group."
        + " Destructive: needs confirm: true. Idempotent: revoking a rule that is not there"
        + " changes nothing (changed=false). Needs the firewall provider (vultr://, with"
        + " VULTR_API_KEY in the server's environment).";
  }

  @Override
  Effect effect() {
    return Effect.DESTRUCTIVE;
  }

  @Override
  boolean idempotent() {
    return true;
  }

  @Override
  Schema input() {
    return FirewallFields.rule(FirewallFields.group(Schema.input()))
        .confirm("revoke the firewall rule");
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
      change = new FirewallOperations(firewall).revoke(group, rule);
    }
    return FirewallFields.change(call, change, "revoked", "no such rule");
  }
}
