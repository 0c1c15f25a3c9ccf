package kr.codeb.audit.internal;

import java.util.List;
import java.util.Optional;
import kr.codeb.ProviderInfo;
import kr.codeb.dns.DnsProvider;
import kr.codeb.dns.RecordSet;
import kr.codeb.dns.RecordType;
import kr.codeb.dns.Zone;
import kr.codeb.model.DnsName;

/**
 * A {@link DnsProvider} that records the zones it creates and the record sets it replaces and
 * deletes. An upsert that leaves the set as it was, or a zone that already existed, is not
 * recorded.
 */
public final class AuditedDns implements DnsProvider {
  private final DnsProvider delegate;
  private final AuditWriter audit;

  public AuditedDns(DnsProvider delegate, AuditWriter audit) {
    this.delegate = delegate;
    this.audit = audit;
  }

  @Override
  public ProviderInfo info() {
    return delegate.info();
  }

  @Override
  public List<Zone> zones() {
    return delegate.zones();
  }

  @Override
  public Optional<String> version() {
    return delegate.version();
  }

  @Override
  public Zone ensureZone(DnsName zone, List<DnsName> nameservers) {
    boolean existed = delegate.zones().stream().anyMatch(z -> z.name().equals(zone));
    Zone result = delegate.ensureZone(zone, nameservers);
    if (!existed) {
      audit.record(delegate.info().id(), "zone:" + zone.value(), "create", Optional.empty(), null,
          JsonText.object().put("kind", result.kind()).put("nameservers",
              result.nameservers().stream().map(DnsName::value).toList()));
    }
    return result;
  }

  @Override
  public List<RecordSet> recordSets(DnsName zone) {
    return delegate.recordSets(zone);
  }

  @Override
  public RecordSet upsert(DnsName zone, RecordSet rrset) {
    Optional<RecordSet> before = find(zone, rrset.name(), rrset.type());
    RecordSet result = delegate.upsert(zone, rrset);
    if (!before.equals(Optional.of(result))) {
      audit.record(delegate.info().id(), target(zone, rrset.name(), rrset.type()),
          before.isPresent() ? "update" : "create", Optional.empty(),
          before.map(AuditedDns::json).orElse(null), json(result));
    }
    return result;
  }

  @Override
  public boolean delete(DnsName zone, DnsName name, RecordType type) {
    Optional<RecordSet> before = find(zone, name, type);
    boolean deleted = delegate.delete(zone, name, type);
    if (deleted) {
      audit.record(delegate.info().id(), target(zone, name, type), "delete", Optional.empty(),
          before.map(AuditedDns::json).orElse(null), null);
    }
    return deleted;
  }

  @Override
  public boolean deleteZone(DnsName zone) {
    boolean deleted = delegate.deleteZone(zone);
    if (deleted) {
      audit.record(delegate.info().id(), "zone:" + zone.value(), "delete", Optional.empty(),
          JsonText.object().put("zone", zone.value()), null);
    }
    return deleted;
  }

  @Override
  public void close() {
    delegate.close();
  }

  private Optional<RecordSet> find(DnsName zone, DnsName name, RecordType type) {
    try {
      return delegate.recordSets(zone).stream()
          .filter(r -> r.name().equals(name) && r.type() == type).findFirst();
    } catch (kr.codeb.NotFoundException noZone) {
      return Optional.empty();
    }
  }

  private static String target(DnsName zone, DnsName name, RecordType type) {
    return "record:" + zone.value() + "/" + name.value() + "/" + type;
  }

  private static JsonText json(RecordSet r) {
    return JsonText.object().put("ttl", r.ttl()).put("records", r.records());
  }
}
