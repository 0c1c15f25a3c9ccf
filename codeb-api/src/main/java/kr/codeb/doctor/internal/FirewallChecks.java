package kr.codeb.doctor.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import kr.codeb.doctor.Drift;
import kr.codeb.doctor.DriftKind;
import kr.codeb.doctor.Fix;
import kr.codeb.doctor.ServerEngine;
import kr.codeb.firewall.FirewallOperations;
import kr.codeb.firewall.FirewallProvider;
import kr.codeb.firewall.FirewallRule;
import kr.codeb.firewall.FirewallRules;
import kr.codeb.firewall.Protocol;
import kr.codeb.fleet.Role;
import kr.codeb.fleet.Server;
import kr.codeb.fleet.Topology;
import kr.codeb.internal.SlotNames;
import kr.codeb.ports.PortRange;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.PortBinding;

/**
 * The firewall groups of the topology's servers against what runs behind them.
 *
 * <ul>
 *   <li>A storage server's storage ports (host ports its engine's containers publish, other
 *       than app slots) are open in its group to every app server's private address, as
 *       {@link FirewallOperations#openPort} opens them.</li>
 *   <li>A rule CodeB made (its note starts with {@code codeb:}) covers a port in use: one that a
 *       container on the server publishes, or that the SSOT gives to a project placed there.
 *       A rule for no such port is revoked; rules made by anyone else are never touched.</li>
 * </ul>
 */
public final class FirewallChecks {
  /** The note prefix of rules CodeB made. */
  public static final String NOTE_PREFIX = "codeb:";

  private final FirewallProvider firewall;
  private final Topology topology;

  public FirewallChecks(FirewallProvider firewall, Topology topology) {
    this.firewall = firewall;
    this.topology = topology;
  }

  /**
   * @param engine the server's engine with its containers
   * @param ssotPorts the SSOT's ports of the projects placed on the server
   * @param notes where to say what was not checked
   */
  public List<Repairable> check(Server server, Optional<ServerEngine> engine,
      List<ContainerInfo> containers, Set<Integer> ssotPorts, List<String> notes) {
    List<Repairable> found = new ArrayList<>();
    if (server.firewallGroup().isEmpty()) {
      return found;
    }
    String group = server.firewallGroup().get();
    if (engine.isEmpty()) {
      notes.add("firewall group " + group + " of " + server.name() + " not compared: the"
          + " server declares no container engine (engines.runtime)");
      return found;
    }
    List<FirewallRule> rules = firewall.rules(group);
    if (server.has(Role.STORAGE)) {
      for (int port : storagePorts(containers)) {
        for (Server app : topology.withRole(Role.APP)) {
          if (!app.name().equals(server.name())) {
            missing(server, group, app, port, rules, found);
          }
        }
      }
    }
    Set<Integer> used = new TreeSet<>(ssotPorts);
    containers.forEach(c -> c.ports().forEach(b -> used.add(b.hostPort())));
    for (FirewallRule rule : rules) {
      if (rule.note().startsWith(NOTE_PREFIX) && rule.ports().isPresent()
          && used.stream().noneMatch(p -> contains(rule.ports().get(), p))) {
        found.add(Repairable.of(new Drift(DriftKind.FIREWALL_RULE_UNUSED, "group " + group
            + " of " + server.name(), "no rule for ports nothing on " + server.name() + " uses",
            FirewallRules.describe(rule), new Fix(Fix.Action.DELETE, "rule", group,
                FirewallRules.describe(rule))),
            () -> firewall.revoke(group, rule)));
      }
    }
    return found;
  }

  private void missing(Server storage, String group, Server app, int port,
      List<FirewallRule> rules, List<Repairable> found) {
    boolean open = rules.stream().anyMatch(r -> r.protocol() == Protocol.TCP
        && r.ports().isPresent() && contains(r.ports().get(), port)
        && r.subnet().isV4() == app.privateAddress().isV4()
        && FirewallRules.network(app.privateAddress(), r.prefix()).equals(r.subnet()));
    if (open) {
      return;
    }
    String rule = "tcp " + port + " from " + app.privateAddress().value() + " ("
        + NOTE_PREFIX + " " + app.name() + " to " + storage.name() + ")";
    found.add(Repairable.of(new Drift(DriftKind.FIREWALL_RULE_MISSING, "group " + group + " of "
        + storage.name(), "port " + port + " open to " + app.name() + " ("
        + app.privateAddress().value() + ")", "no rule lets " + app.name() + " reach port "
        + port, new Fix(Fix.Action.CREATE, "rule", group, rule)),
        () -> new FirewallOperations(firewall).openPort(topology, storage.name(), app.name(),
            port, "tcp")));
  }

  /** Host ports published by the containers that are not an app's blue or green slot. */
  static Set<Integer> storagePorts(List<ContainerInfo> containers) {
    Set<Integer> ports = new TreeSet<>();
    for (ContainerInfo c : containers) {
      if (!c.labels().containsKey(SlotNames.SLOT)) {
        c.ports().stream().map(PortBinding::hostPort).forEach(ports::add);
      }
    }
    return ports;
  }

  private static boolean contains(PortRange range, int port) {
    return port >= range.start() && port <= range.end();
  }
}
