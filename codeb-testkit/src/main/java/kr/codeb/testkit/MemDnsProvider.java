package kr.codeb.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.ProviderInfo;
import kr.codeb.dns.DnsProvider;
import kr.codeb.dns.RecordContent;
import kr.codeb.dns.RecordSet;
import kr.codeb.dns.RecordType;
import kr.codeb.dns.Zone;
import kr.codeb.model.DnsName;

/**
 * An authoritative DNS server in memory, for tests, demos and jshell. It validates and
 * normalises record content exactly as the real providers do ({@link RecordContent}); a new
 * zone gets its nameservers as an NS set at the apex. Handles made by {@link #reopen()} (and
 * {@code mem:NAME} URIs with the same name) share the zones.
 */
public final class MemDnsProvider implements DnsProvider {
  private final Zones zones;
  private final String name;

  MemDnsProvider(Zones zones, String name) {
    this.zones = zones;
    this.name = name;
  }

  /** A new, empty in-memory DNS server. */
  public static MemDnsProvider create() {
    return new MemDnsProvider(new Zones(), "anonymous");
  }

  /** Another handle on the same zones. */
  public MemDnsProvider reopen() {
    return new MemDnsProvider(zones, name);
  }

  @Override
  public ProviderInfo info() {
    return new ProviderInfo("mem", "mem:" + name);
  }

  @Override
  public List<Zone> zones() {
    return List.copyOf(zones.zones.values()).stream().map(z -> z.zone).toList();
  }

  @Override
  public Zone ensureZone(DnsName zone, List<DnsName> nameservers) {
    Objects.requireNonNull(zone, "zone");
    List<DnsName> ns = List.copyOf(nameservers);
    return zones.zones.computeIfAbsent(zone, z -> {
      MemZone made = new MemZone(new Zone(z, "Native", ns));
      if (!ns.isEmpty()) {
        made.sets.put(z.value() + " NS", new RecordSet(z, RecordType.NS, 3600,
            ns.stream().map(DnsName::value).toList()));
      }
      return made;
    }).zone;
  }

  @Override
  public List<RecordSet> recordSets(DnsName zone) {
    MemZone z = require(zone);
    synchronized (z) {
      return new ArrayList<>(z.sets.values());
    }
  }

  @Override
  public RecordSet upsert(DnsName zone, RecordSet rrset) {
    MemZone z = require(zone);
    RecordSet set = RecordContent.normalise(rrset);
    within(zone, set.name());
    synchronized (z) {
      z.sets.put(key(set.name(), set.type()), set);
    }
    return set;
  }

  @Override
  public boolean delete(DnsName zone, DnsName name, RecordType type) {
    MemZone z = require(zone);
    synchronized (z) {
      return z.sets.remove(key(name, type)) != null;
    }
  }

  /** Removes a zone with all its records; {@code false} if there was none. */
  @Override
  public boolean deleteZone(DnsName zone) {
    return zones.zones.remove(zone) != null;
  }

  @Override
  public void close() {
    // nothing to release: the zones stay for other handles
  }

  private MemZone require(DnsName zone) {
    MemZone z = zones.zones.get(Objects.requireNonNull(zone, "zone"));
    if (z == null) {
      throw new NotFoundException("no zone " + zone + " in mem:" + name, "mem", 0, null);
    }
    return z;
  }

  static void within(DnsName zone, DnsName name) {
    if (!name.isWithin(zone)) {
      throw new InvalidRequestException("record name " + name + " is not inside the zone " + zone);
    }
  }

  private static String key(DnsName name, RecordType type) {
    return name.value() + " " + type;
  }

  /** The zones, shared by all handles on one mem: DNS server. */
  static final class Zones {
    private final Map<DnsName, MemZone> zones = new ConcurrentHashMap<>();
  }

  private static final class MemZone {
    private final Zone zone;
    private final Map<String, RecordSet> sets = new LinkedHashMap<>();

    MemZone(Zone zone) {
      this.zone = zone;
    }
  }
}
