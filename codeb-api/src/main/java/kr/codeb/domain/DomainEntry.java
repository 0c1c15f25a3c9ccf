package kr.codeb.domain;

import java.util.List;
import java.util.Objects;
import kr.codeb.deploy.DeployKey;
import kr.codeb.model.DnsName;
import kr.codeb.model.IpAddress;

/**
 * A host name CodeB manages, from {@link Domains#list}.
 *
 * @param host the host name ({@code www.vsvs.kr})
 * @param domain the domain it was added for ({@code vsvs.kr})
 * @param zone the zone its records are in
 * @param key the project and environment it serves
 * @param addresses its A and AAAA records
 * @param routed whether the project's route on the proxy has the host
 */
public record DomainEntry(
    String host, String domain, DnsName zone, DeployKey key, List<IpAddress> addresses,
    boolean routed) {
  public DomainEntry {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(key, "key");
    addresses = List.copyOf(addresses);
  }
}
