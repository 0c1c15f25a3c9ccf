package kr.codeb.doctor;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.deploy.ReleaseStore;
import kr.codeb.dns.DnsProvider;
import kr.codeb.firewall.FirewallProvider;
import kr.codeb.fleet.Topology;
import kr.codeb.ports.SsotStore;
import kr.codeb.proxy.ReverseProxy;

/**
 * What {@link Doctor} compares: CodeB's side (the SSOT, the release history, the topology)
 * and the fleet's (each server's engine, the edge's proxy and DNS, the firewall). A part that
 * is absent is not checked, and the report says so. The providers stay the caller's.
 *
 * @param releases the release history, which says which slot is live; without it the route
 *     does
 * @param engines the engines of the app and storage servers
 */
public record DoctorContext(
    SsotStore ssot,
    Optional<ReleaseStore> releases,
    Topology topology,
    List<ServerEngine> engines,
    Optional<ReverseProxy> proxy,
    Optional<DnsProvider> dns,
    Optional<FirewallProvider> firewall) {
  public DoctorContext {
    Objects.requireNonNull(ssot, "ssot");
    Objects.requireNonNull(releases, "releases");
    Objects.requireNonNull(topology, "topology");
    engines = List.copyOf(engines);
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(dns, "dns");
    Objects.requireNonNull(firewall, "firewall");
  }
}
