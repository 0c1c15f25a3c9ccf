package kr.codeb.doctor.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kr.codeb.doctor.Drift;
import kr.codeb.doctor.DriftKind;
import kr.codeb.doctor.Fix;
import kr.codeb.domain.Domains;
import kr.codeb.domain.internal.DomainMarks;
import kr.codeb.dns.DnsProvider;
import kr.codeb.dns.RecordContent;
import kr.codeb.dns.RecordSet;
import kr.codeb.dns.RecordType;
import kr.codeb.dns.Zone;
import kr.codeb.model.DnsName;
import kr.codeb.model.IpAddress;

/**
 * The domains CodeB manages (the hosts with a {@code _codeb} mark, see {@link Domains}) against
 * the edge: each has an A or AAAA record, and the records of the edge's address family point at
 * the edge's public address. Fixes write that one record set, never another record.
 */
public final class DnsChecks {
  private final DnsProvider dns;
  private final Optional<IpAddress> edge;

  /** @param edge the edge server's public address; without it addresses are not compared */
  public DnsChecks(DnsProvider dns, Optional<IpAddress> edge) {
    this.dns = dns;
    this.edge = edge;
  }

  public List<Repairable> check() {
    List<Repairable> found = new ArrayList<>();
    for (Zone zone : dns.zones()) {
      List<RecordSet> sets = dns.recordSets(zone.name());
      for (RecordSet set : sets) {
        Optional<String> host = DomainMarks.markedHost(set);
        if (host.isPresent() && DomainMarks.markOf(sets, host.get()).isPresent()) {
          host(zone.name(), host.get(), sets, found);
        }
      }
    }
    return found;
  }

  private void host(DnsName zone, String host, List<RecordSet> sets, List<Repairable> found) {
    DnsName name = DnsName.of(host);
    List<RecordSet> addresses = sets.stream().filter(s -> s.name().equals(name)
        && (s.type() == RecordType.A || s.type() == RecordType.AAAA)).toList();
    String expected = edge.map(e -> "points at the edge " + e.value())
        .orElse("has an A or AAAA record");
    if (addresses.isEmpty()) {
      found.add(edge.map(e -> Repairable.of(new Drift(DriftKind.DNS_RECORD_MISSING, host,
          expected, "no A or AAAA record", new Fix(Fix.Action.CREATE, "record",
              host + " " + type(e), e.value())), () -> dns.upsert(zone, wanted(name, e,
                  Domains.DEFAULT_TTL))))
          .orElseGet(() -> Repairable.manual(new Drift(DriftKind.DNS_RECORD_MISSING, host,
              expected, "no A or AAAA record", Fix.manual("record", host, "no edge server in"
                  + " the config: we domain add " + host + " --ip ADDRESS")))));
      return;
    }
    if (edge.isEmpty()) {
      return;
    }
    IpAddress e = edge.get();
    for (RecordSet s : addresses) {
      if (s.type() != type(e)) {
        continue; // the edge has no address of this family to compare with
      }
      List<String> want = RecordContent.sorted(List.of(e.value()));
      if (!RecordContent.sorted(s.records()).equals(want)) {
        found.add(Repairable.of(new Drift(DriftKind.DNS_RECORD_ELSEWHERE, host, expected,
            s.type() + " " + String.join(",", s.records()), new Fix(Fix.Action.UPDATE, "record",
                host + " " + s.type(), e.value())),
            () -> dns.upsert(zone, wanted(name, e, s.ttl()))));
      }
    }
  }

  private static RecordType type(IpAddress a) {
    return a.isV4() ? RecordType.A : RecordType.AAAA;
  }

  private static RecordSet wanted(DnsName name, IpAddress e, int ttl) {
    return new RecordSet(name, type(e), ttl, List.of(e.value()));
  }
}
