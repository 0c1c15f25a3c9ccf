package kr.codeb.db.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kr.codeb.db.DbContext;
import kr.codeb.firewall.FirewallProvider;
import kr.codeb.firewall.FirewallRule;
import kr.codeb.firewall.FirewallRules;
import kr.codeb.firewall.Protocol;
import kr.codeb.model.IpAddress;
import kr.codeb.ports.PortRange;

/**
 * The storage server's firewall group: one TCP rule per source (the project's app server's
 * private address, /32 or /128) to the database's port, and nothing else. Without a firewall
 * group on the storage server there is nothing to do.
 */
public final class DbFirewall {
  private DbFirewall() {}

  /** Adds the missing rules; returns what it added. */
  public static List<String> open(DbContext context, Names names, int port) {
    List<String> added = new ArrayList<>();
    Optional<String> group = context.storage().server().firewallGroup();
    if (group.isEmpty() || context.sources().isEmpty()) {
      return added; // no rule to make: the group is not even read
    }
    FirewallProvider firewall = context.firewall().orElseThrow();
    List<FirewallRule> existing = firewall.rules(group.get());
    for (IpAddress source : context.sources()) {
      FirewallRule rule = rule(names, port, source);
      if (existing.stream().noneMatch(r -> FirewallRules.sameTraffic(r, rule))) {
        firewall.allow(group.get(), rule);
        added.add("allowed tcp " + port + " from " + source.value() + " in firewall group "
            + group.get());
      }
    }
    return added;
  }

  /** Removes the rules; returns what it removed. */
  public static List<String> close(DbContext context, Names names, int port) {
    List<String> removed = new ArrayList<>();
    Optional<String> group = context.storage().server().firewallGroup();
    if (group.isEmpty() || context.sources().isEmpty()) {
      return removed;
    }
    FirewallProvider firewall = context.firewall().orElseThrow();
    for (IpAddress source : context.sources()) {
      if (firewall.revoke(group.get(), rule(names, port, source))) {
        removed.add("firewall rule tcp " + port + " from " + source.value());
      }
    }
    return removed;
  }

  static FirewallRule rule(Names names, int port, IpAddress source) {
    return new FirewallRule(Protocol.TCP, Optional.of(new PortRange(port, port)), source,
        source.isV4() ? 32 : 128, "codeb db " + names.container());
  }
}
