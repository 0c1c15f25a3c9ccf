package kr.codeb.domain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.model.DnsName;

/**
 * What {@link Domains#add} or {@link Domains#remove} did.
 *
 * @param domain the domain in ASCII (punycode) form, without the trailing dot
 * @param unicode the domain as given, when it was given in Unicode and converted
 * @param zone the zone the records are in; empty when no zone encloses the domain (remove)
 * @param hosts the host names concerned ({@code vsvs.kr}, {@code www.vsvs.kr})
 * @param changes every zone, record set and route looked at, with what happened to it
 * @param notes for people: conversions, choices made
 */
public record DomainReport(
    String domain,
    Optional<String> unicode,
    Optional<DnsName> zone,
    List<String> hosts,
    List<DomainChange> changes,
    List<String> notes) {
  public DomainReport {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(unicode, "unicode");
    Objects.requireNonNull(zone, "zone");
    hosts = List.copyOf(hosts);
    changes = List.copyOf(changes);
    notes = List.copyOf(notes);
  }

  /** Whether anything was created, updated or deleted. */
  public boolean changed() {
    return changes.stream().anyMatch(c -> c.action() != DomainChange.Action.UNCHANGED);
  }
}
