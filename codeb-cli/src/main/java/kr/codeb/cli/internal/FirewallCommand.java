package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.Callable;
import kr.codeb.InvalidRequestException;
import kr.codeb.firewall.FirewallOperations;
import kr.codeb.firewall.FirewallProvider;
import kr.codeb.firewall.FirewallRule;
import kr.codeb.firewall.FirewallRules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code we firewall list|allow|revoke --group G ...}: the rules of a cloud firewall group
 * (Vultr), on the provider named by {@code --firewall} / {@code CODEB_FIREWALL}. Input is checked
 * completely before the provider is opened: bad input sends no request.
 */
@Command(
    name = "firewall", header = "List, allow or revoke a firewall group's rules.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "A cloud firewall group's rules: list them, allow or revoke one (idempotent).")
final class FirewallCommand implements Callable<Integer> {
  private final Session session;

  FirewallCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    return session.missingSubcommand("we firewall");
  }

  /** {@code --group}. */
  static final class GroupOption {
    @Option(names = "--group", required = true, paramLabel = "ID|DESCRIPTION",
        description = "The firewall group, by its id or its description.")
    String group;
  }

  /** The options that make a rule. */
  static final class RuleOptions {
    @Option(names = "--port", paramLabel = "PORT|START:END",
        description = "A port (5432) or a range (8000:8999 or 8000-8999); tcp and udp only.")
    String port;

    @Option(names = "--proto", paramLabel = "PROTOCOL", defaultValue = "tcp",
        description = "tcp (default), udp, icmp, gre, esp or ah.")
    String proto;

    @Option(names = "--from", required = true, paramLabel = "ADDRESS[/PREFIX]",
        description = "The source: an address (one host) or a network such as 10.1.0.0/16 or"
            + " fd00::/64; the IP version follows it.")
    String from;

    @Option(names = "--note", paramLabel = "TEXT", description = "A note kept with the rule.")
    String note;

    FirewallRule rule() {
      return FirewallRules.parse(proto, port, from, note);
    }
  }

  static FirewallProvider open(Session session) {
    String uri = session.providers().firewall().filter(u -> !u.isBlank()).orElseThrow(() ->
        new InvalidRequestException("no firewall provider given: pass --firewall URI (e.g."
            + " --firewall vultr://), or set CODEB_FIREWALL, or providers.firewall in the config"
            + " file"));
    // Each change's entry is appended on its own: the caller closes only the provider.
    return new CommandAudit(session, true).wrap().firewall(session.registry()
        .firewallProvider(uri));
  }

  static ObjectNode ruleJson(Session session, FirewallRule rule) {
    ObjectNode n = session.jsonOutput().object();
    n.put("protocol", rule.protocol().id());
    if (rule.ports().isPresent()) {
      n.put("port", FirewallRules.port(rule));
    } else {
      n.putNull("port");
    }
    n.put("subnet", rule.subnet().value());
    n.put("prefix", rule.prefix());
    n.put("note", rule.note());
    return n;
  }

  @Command(
      name = "list", header = "List a firewall group's rules.",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "List the group's rules (rules with a Cloudflare or load-balancer source are"
          + " not shown).")
  static final class ListRules implements Callable<Integer> {
    private final Session session;

    @Mixin GroupOption group;

    ListRules(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      String g = FirewallOperations.group(group.group);
      List<FirewallRule> rules;
      try (FirewallProvider firewall = open(session)) {
        rules = firewall.rules(g);
      }
      if (session.json()) {
        ObjectNode root = session.jsonOutput().object();
        root.put("group", g);
        ArrayNode array = root.putArray("rules");
        rules.forEach(r -> array.add(ruleJson(session, r)));
        session.printJson(root);
        return 0;
      }
      if (rules.isEmpty()) {
        session.out().println("no rules in firewall group " + g);
        return 0;
      }
      Table t = new Table("PROTO", "PORT", "SOURCE", "NOTE");
      rules.forEach(r -> t.row(r.protocol(), r.ports().isPresent() ? FirewallRules.port(r) : "-",
          FirewallRules.source(r), r.note()));
      t.print(session.out(), "");
      return 0;
    }
  }

  @Command(
      name = "allow", header = "Allow traffic to a port from a source (idempotent).",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {"Allow traffic to a port from a source. Idempotent: an existing rule for the",
          "same traffic (whatever its note) is kept and reported with changed=false."})
  static final class Allow implements Callable<Integer> {
    private final Session session;

    @Mixin GroupOption group;
    @Mixin RuleOptions rule;

    Allow(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      return change(session, group, rule, FirewallOperations::allow, "allowed",
          "already allowed");
    }
  }

  @Command(
      name = "revoke", header = "Revoke an allow rule (idempotent).",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {"Revoke the rule for that traffic (whatever its note). Idempotent: revoking",
          "a rule that is not there changes nothing (changed=false)."})
  static final class Revoke implements Callable<Integer> {
    private final Session session;

    @Mixin GroupOption group;
    @Mixin RuleOptions rule;

    Revoke(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      return change(session, group, rule, FirewallOperations::revoke, "revoked", "no such rule");
    }
  }

  /** One change of {@code allow}/{@code revoke}: input validated before the provider opens. */
  private interface Operation {
    FirewallOperations.Change apply(FirewallOperations operations, String group, FirewallRule rule);
  }

  private static int change(Session session, GroupOption group, RuleOptions rule, Operation op,
      String done, String nothing) {
    String g = FirewallOperations.group(group.group);
    FirewallRule r = rule.rule();
    FirewallOperations.Change change;
    try (FirewallProvider firewall = open(session)) {
      change = op.apply(new FirewallOperations(firewall), g, r);
    }
    return report(session, change, done, nothing);
  }

  static int report(Session session, FirewallOperations.Change change, String done,
      String nothing) {
    if (session.json()) {
      ObjectNode root = session.jsonOutput().object();
      root.put("group", change.group());
      root.set("rule", ruleJson(session, change.rule()));
      root.put("changed", change.changed());
      session.printJson(root);
    } else {
      session.out().println((change.changed() ? done : nothing) + ": "
          + FirewallRules.describe(change.rule()) + " in firewall group " + change.group());
    }
    return 0;
  }
}
