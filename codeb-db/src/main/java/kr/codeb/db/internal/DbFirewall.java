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

  /**
   * Adds the missing rules and revokes this database's rules from sources that are no longer
   * given (an app server taken out of the project's placement); returns what it changed. With
   * no sources at all nothing is revoked.
   */
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
    for (FirewallRule old : stale(existing, names, port, context.sources())) {
      if (firewall.revoke(group.get(), old)) {
        added.add("revoked tcp " + port + " from " + old.subnet().value() + " in firewall group "
            + group.get() + " (no longer an app server of the project)");
      }
    }
    return added;
  }

  /**
   * The rules of {@code existing} that CodeB made for this database (its note, its port) from a
   * source not in {@code sources}; none when {@code sources} is empty (then CodeB does not know
   * the project's app servers, and takes nothing away).
   */
  static List<FirewallRule> stale(List<FirewallRule> existing, Names names, int port,
      List<IpAddress> sources) {
    if (sources.isEmpty()) {
      return List.of();
    }
    List<FirewallRule> found = new ArrayList<>();
    for (FirewallRule r : existing) {
      boolean ours = r.note().equals(rule(names, port, r.subnet()).note())
          && r.ports().equals(Optional.of(new PortRange(port, port)));
      boolean given = sources.stream().anyMatch(s -> FirewallRules.sameTraffic(r,
          rule(names, port, s)));
      if (ours && !given) {
        found.add(r);
      }
    }
    return found;
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
