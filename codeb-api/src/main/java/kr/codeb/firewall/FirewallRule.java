package kr.codeb.firewall;

import java.util.Objects;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.IpAddress;
import kr.codeb.ports.PortRange;

/**
 * An inbound allow rule: traffic of {@code protocol} to {@code ports} from {@code subnet}/
 * {@code prefix}. Ports are absent for protocols without ports (icmp, gre, esp, ah). The
 * {@link FirewallRules#parse} is the strict parser for user input (ranges, CIDRs). Record
 * equality includes the note; "the same rule" for allow and revoke means the same traffic,
 * {@link FirewallRules#sameTraffic}.
 */
public record FirewallRule(
    Protocol protocol, Optional<PortRange> ports, IpAddress subnet, int prefix, String note) {
  public FirewallRule {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(ports, "ports");
    boolean hasPorts = protocol.hasPorts();
    if (hasPorts != ports.isPresent()) {
      throw new InvalidRequestException(hasPorts
          ? protocol + " rules need a port or port range"
          : protocol + " has no ports; leave the port out");
    }
    Objects.requireNonNull(subnet, "subnet");
    int max = subnet.isV4() ? 32 : 128;
    if (prefix < 0 || prefix > max) {
      throw new InvalidRequestException("prefix /" + prefix + " is outside 0-" + max);
    }
    note = note == null ? "" : note;
  }
}
