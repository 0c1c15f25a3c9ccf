package kr.codeb.domain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.dns.RecordSet;
import kr.codeb.model.DnsName;
import kr.codeb.proxy.Route;

/**
 * What {@link Domains#add} will change, computed from the DNS provider and the proxy as they are
 * now, before anything is written. {@link Domains#apply} carries it out.
 *
 * @param domain the domain in ASCII (punycode) form, without the trailing dot
 * @param unicode the domain as given, when it was given in Unicode
 * @param zone the zone the records go into
 * @param createZone whether the zone has to be created first
 * @param nameservers the nameservers a created zone gets
 * @param hosts the host names added ({@code vsvs.kr}, and {@code www.vsvs.kr} when asked)
 * @param writes the record sets to create or replace (those already as wanted are left out)
 * @param route the project's route with the hosts added, when it lacks any of them
 * @param changes every zone, record set and route looked at, with what will happen to it
 * @param notes for people: conversions, choices made
 */
public record DomainPlan(
    String domain,
    Optional<String> unicode,
    DnsName zone,
    boolean createZone,
    List<DnsName> nameservers,
    List<String> hosts,
    List<RecordSet> writes,
    Optional<Route> route,
    List<DomainChange> changes,
    List<String> notes) {
  public DomainPlan {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(unicode, "unicode");
    Objects.requireNonNull(zone, "zone");
    nameservers = List.copyOf(nameservers);
    hosts = List.copyOf(hosts);
    writes = List.copyOf(writes);
    Objects.requireNonNull(route, "route");
    changes = List.copyOf(changes);
    notes = List.copyOf(notes);
  }

  /** Whether applying the plan writes anything. */
  public boolean changesAnything() {
    return createZone || !writes.isEmpty() || route.isPresent();
  }

  /** The plan as a report of what would happen (nothing written). */
  public DomainReport asReport() {
    return new DomainReport(domain, unicode, Optional.of(zone), hosts, changes, notes);
  }
}
