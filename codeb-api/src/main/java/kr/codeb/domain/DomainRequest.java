package kr.codeb.domain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.deploy.DeployKey;
import kr.codeb.model.IpAddress;

/**
 * What {@link Domains#add} is asked to do.
 *
 * @param domain the domain as the user typed it; Unicode is converted to punycode
 * @param key the project and environment whose route ({@code <project>-<env>}) gets the hosts
 * @param www whether {@code www.<domain>} is added too
 * @param addresses what the A (IPv4) and AAAA (IPv6) records point at; empty means the public
 *     address of the topology's edge server
 * @param zone the zone to create when no zone encloses the domain yet; empty means the
 *     registrable domain (from the public suffix list)
 */
public record DomainRequest(
    String domain, DeployKey key, boolean www, List<IpAddress> addresses, Optional<String> zone) {
  public DomainRequest {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(key, "key");
    addresses = List.copyOf(addresses);
    Objects.requireNonNull(zone, "zone");
  }

  public static DomainRequest of(String domain, DeployKey key) {
    return new DomainRequest(domain, key, false, List.of(), Optional.empty());
  }

  public DomainRequest withWww(boolean on) {
    return new DomainRequest(domain, key, on, addresses, zone);
  }

  public DomainRequest withAddresses(List<IpAddress> to) {
    return new DomainRequest(domain, key, www, to, zone);
  }

  public DomainRequest withZone(String name) {
    return new DomainRequest(domain, key, www, addresses, Optional.of(name));
  }
}
