package kr.codeb.mcp.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import kr.codeb.InvalidRequestException;
import kr.codeb.firewall.FirewallOperations;
import kr.codeb.firewall.FirewallRule;
import kr.codeb.firewall.FirewallRules;

/** The fields and result of the firewall tools ({@code we firewall}'s options and JSON). */
final class FirewallFields {
  static final List<String> PROTOCOLS = List.of("tcp", "udp", "icmp", "gre", "esp", "ah");

  private FirewallFields() {}

  static Schema group(Schema s) {
    return s.string("group", "The firewall group, by its id or its description.", true);
  }

  static Schema rule(Schema s) {
    return s.string("port", "A port (5432) or a range (8000:8999 or 8000-8999); tcp and udp"
            + " only, required for them.", false)
        .stringEnum("protocol", "The protocol (default tcp).", false, PROTOCOLS)
        .string("from", "The source: an address (one host) or a network such as 10.1.0.0/16"
            + " or fd00::/64; the IP version follows it.", true)
        .string("note", "A note kept with the rule.", false);
  }

  static String group(Params p) {
    return Params.checked("group", p.string("group", "a firewall group id or description"),
        FirewallOperations::group);
  }

  /**
   * The rule, checked by the same parser as {@code we firewall}; its messages name the values,
   * so the fields are given with them.
   */
  static FirewallRule rule(Params p) {
    String protocol = p.oneOf("protocol", PROTOCOLS).orElse("tcp");
    String port = p.optionalString("port", "a port such as 5432 or a range 8000:8999")
        .orElse(null);
    String from = p.string("from", "an address or network such as 10.1.0.0/16");
    String note = p.optionalString("note", "any text").orElse(null);
    try {
      return FirewallRules.parse(protocol, port, from, note);
    } catch (InvalidRequestException e) {
      throw new ToolInputException("port/protocol/from", e.getMessage());
    }
  }

  static Schema changeOutput() {
    return Schema.output()
        .out("group", "The group.", "string")
        .out("rule", "{protocol, port (or null), subnet, prefix, note}.", "object")
        .out("changed", "False when nothing had to change (idempotent).", "boolean");
  }

  static CodeBTool.Result change(ToolCall call, FirewallOperations.Change change, String done,
      String nothing) {
    ObjectNode root = call.json().object();
    root.put("group", change.group());
    root.set("rule", call.json().rule(change.rule()));
    root.put("changed", change.changed());
    return new CodeBTool.Result(root, (change.changed() ? done : nothing) + ": "
        + FirewallRules.describe(change.rule()) + " in firewall group " + change.group());
  }
}
