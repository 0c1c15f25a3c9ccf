package kr.codeb.firewall;

import java.util.Objects;
import java.util.Optional;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.fleet.Server;
import kr.codeb.fleet.Topology;
import kr.codeb.model.IpAddress;
import kr.codeb.ports.PortRange;

/**
 * The firewall operations, built only on {@link FirewallProvider}: allow and revoke a rule
 * reporting whether anything changed, and open a port between two servers of the
 * {@link Topology}. All of them are idempotent.
 */
public final class FirewallOperations {
  private final FirewallProvider firewall;

  public FirewallOperations(FirewallProvider firewall) {
    this.firewall = Objects.requireNonNull(firewall, "firewall");
  }

  /**
   * What one call did.
   *
   * @param group the group as the caller named it (an id or a description)
   * @param rule the rule as it is in the group now (for allow) or as asked (for revoke)
   * @param changed whether the group changed (false: the rule was already there, or not there)
   */
  public record Change(String group, FirewallRule rule, boolean changed) {
    public Change {
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(rule, "rule");
    }
  }

  /** Requires a non-blank group id or description. */
  public static String group(String group) {
    if (group == null || group.isBlank()) {
      throw new InvalidRequestException("no firewall group given: name it by its id or its"
          + " description");
    }
    return group.trim();
  }

  /**
   * Allows the rule in the group. When a rule for the same traffic (ignoring the note) is there
   * already, it is returned with {@code changed == false} and nothing is added.
   */
  public Change allow(String group, FirewallRule rule) {
    String g = group(group);
    Objects.requireNonNull(rule, "rule");
    Optional<FirewallRule> existing =
        firewall.rules(g).stream().filter(r -> FirewallRules.sameTraffic(r, rule)).findFirst();
    if (existing.isPresent()) {
      return new Change(g, existing.get(), false);
    }
    return new Change(g, firewall.allow(g, rule), true);
  }

  /** Revokes the rule for the same traffic (ignoring the note); {@code changed == false} if none. */
  public Change revoke(String group, FirewallRule rule) {
    String g = group(group);
    Objects.requireNonNull(rule, "rule");
    return new Change(g, rule, firewall.revoke(g, rule));
  }

  /**
   * Opens {@code port}/{@code proto} on the firewall group of server {@code toServer} to the
   * private address of server {@code fromServer} (one host: {@code /32} or {@code /128}).
   * Idempotent: a second call finds the rule and changes nothing.
   *
   * @param port the port; {@code 0} for a protocol without ports (icmp, gre, esp, ah)
   * @param proto the protocol; {@code null} means tcp
   * @throws NotFoundException if a server is not in the topology
   * @throws InvalidRequestException if {@code toServer} has no firewall group, or the port or
   *     protocol is not valid
   */
  public Change openPort(Topology topology, String toServer, String fromServer, int port,
      String proto) {
    Objects.requireNonNull(topology, "topology");
    Server to = topology.require(toServer);
    Server from = topology.require(fromServer);
    String group = to.firewallGroup().orElseThrow(() -> new InvalidRequestException("server "
        + to.name() + " has no firewall group in the topology: set its firewall group to open a"
        + " port on it"));
    Protocol protocol = FirewallRules.protocol(proto);
    boolean hasPorts = protocol.hasPorts();
    if (!hasPorts && port != 0) {
      throw new InvalidRequestException(protocol + " has no ports: pass 0, not " + port);
    }
    if (hasPorts) {
      Checks.port("port", port);
    }
    IpAddress source = from.privateAddress();
    FirewallRule rule = new FirewallRule(protocol,
        hasPorts ? Optional.of(new PortRange(port, port)) : Optional.empty(), source,
        source.isV4() ? 32 : 128, "codeb: " + from.name() + " to " + to.name());
    return allow(group, rule);
  }
}
