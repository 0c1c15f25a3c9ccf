package kr.codeb.vultr.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import kr.codeb.CodeBException;
import kr.codeb.firewall.FirewallRule;
import kr.codeb.firewall.FirewallRules;
import kr.codeb.firewall.Protocol;
import kr.codeb.model.IpAddress;

/** Vultr's JSON for firewall groups and rules, and CodeB's records. */
public final class VultrJson {
  /** Vultr's limit when a group does not say its {@code max_rule_count}. */
  public static final int DEFAULT_MAX_RULES = 50;

  private VultrJson() {}

  /** A firewall group as Vultr lists it. */
  public record Group(String id, String description, int maxRuleCount) {}

  /** A rule as Vultr lists it: its id, its source, and the rule when CodeB can represent it. */
  public record Rule(long id, String source, Optional<FirewallRule> rule, JsonNode raw) {
    /** Whether this is a plain subnet rule (no Cloudflare or load-balancer source). */
    public boolean plain() {
      return source.isEmpty() && rule.isPresent();
    }
  }

  public static Group group(JsonNode n) {
    int max = n.path("max_rule_count").asInt(0);
    return new Group(n.path("id").asText(""), n.path("description").asText(""),
        max > 0 ? max : DEFAULT_MAX_RULES);
  }

  public static Rule rule(JsonNode n) {
    long id = n.path("id").asLong(-1);
    String source = n.path("source").asText("");
    Optional<FirewallRule> rule;
    try {
      Protocol protocol = Protocol.of(n.path("protocol").asText(""));
      String port = n.path("port").asText("");
      if (!protocol.hasPorts()) {
        port = ""; // Vultr may answer "0" or "" for protocols without ports
      }
      rule = Optional.of(new FirewallRule(protocol, FirewallRules.ports(protocol, port),
          IpAddress.of(n.path("subnet").asText("")), n.path("subnet_size").asInt(-1),
          n.path("notes").asText("")));
    } catch (CodeBException e) {
      rule = Optional.empty();
    }
    return new Rule(id, source, rule, n);
  }

  /** The body of {@code POST /firewalls/{id}/rules}. */
  public static ObjectNode create(FirewallRule rule) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("ip_type", rule.subnet().isV4() ? "v4" : "v6");
    n.put("protocol", rule.protocol().id());
    n.put("subnet", rule.subnet().value());
    n.put("subnet_size", rule.prefix());
    if (rule.ports().isPresent()) {
      n.put("port", FirewallRules.port(rule));
    }
    n.put("source", "");
    n.put("notes", rule.note());
    return n;
  }
}
