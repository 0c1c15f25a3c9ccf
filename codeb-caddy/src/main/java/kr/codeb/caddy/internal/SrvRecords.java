package kr.codeb.caddy.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import kr.codeb.dns.DnsProvider;
import kr.codeb.dns.RecordSet;
import kr.codeb.dns.RecordType;
import kr.codeb.model.DnsName;
import kr.codeb.model.IpAddress;
import kr.codeb.proxy.Upstream;

/**
 * The DNS side of {@code switch=srv}: per route an SRV record
 * {@code _codeb._tcp.<route>.<srv zone>} → {@code 0 0 <port> ip-<address>.<zone>}, and that
 * target's address record. SRV TTL 1 s; PowerDNS's API purges its cache for the zone on every
 * change.
 *
 * <p>Without a DNS cache the SRV zone is the zone itself and the address records have TTL 1 s.
 * With a cache the SRV records live in the child zone {@code _srv.<zone>} and the address
 * records have TTL 1 h: PowerDNS adds an in-zone SRV target's address to the SRV answer's
 * additional section, and the PowerDNS Recursor (4.8.8, checked) lets that lower-ranked copy
 * replace its expired authoritative one, which it then does not serve stale, so with PowerDNS
 * down Caddy could not resolve the target; for a target outside the SRV record's zone nothing is
 * added (checked on PowerDNS 4.7.3). ({@code _srv} rather than a child zone for the targets:
 * PowerDNS refuses an SRV target with an underscore, and a plain label could be a route id's.)
 * A name that spells its address never changes its answer, so the long TTL costs nothing and
 * keeps it in the cache.
 */
public final class SrvRecords {
  private static final int TTL = 1;
  private static final int CACHED_TARGET_TTL = 3600;

  private final DnsProvider dns;
  private final DnsName zone;
  private final DnsName srvZone;
  private final int targetTtl;
  private volatile boolean zoneReady;

  public SrvRecords(DnsProvider dns, DnsName zone) {
    this(dns, zone, false);
  }

  /** With {@code cached}, the SRV records go in {@code _srv.<zone>} (see the class comment). */
  public SrvRecords(DnsProvider dns, DnsName zone, boolean cached) {
    this.dns = dns;
    this.zone = zone;
    this.srvZone = cached ? DnsName.of("_srv." + zone.value()) : zone;
    this.targetTtl = cached ? CACHED_TARGET_TTL : TTL;
  }

  public DnsName srvName(String routeId) {
    return DnsName.of("_codeb._tcp." + routeId.toLowerCase(Locale.ROOT) + "." + srvZone.value());
  }

  /**
   * Points the route's SRV record at {@code to} (address record first); returns the names
   * written (target, SRV name), for a cache to forget.
   */
  public List<DnsName> point(String routeId, Upstream to) {
    return point(routeId, List.of(to));
  }

  /**
   * Points the route's SRV record at every upstream of {@code to} (one SRV record each, equal
   * priority and weight; the address records first); returns the names written.
   */
  public List<DnsName> point(String routeId, List<Upstream> all) {
    if (!zoneReady) {
      dns.ensureZone(zone, List.of(DnsName.of("ns1." + zone.value())));
      if (!srvZone.equals(zone)) {
        dns.ensureZone(srvZone, List.of(DnsName.of("ns1." + zone.value())));
      }
      zoneReady = true;
    }
    List<DnsName> changed = new java.util.ArrayList<>();
    List<String> srv = new java.util.ArrayList<>();
    for (Upstream to : all) {
      DnsName target = target(to.address());
      if (!changed.contains(target)) {
        dns.upsert(zone, new RecordSet(target, to.address().isV4() ? RecordType.A
            : RecordType.AAAA, targetTtl, List.of(to.address().value())));
        changed.add(target);
      }
      srv.add("0 0 " + to.port() + " " + target.value());
    }
    DnsName name = srvName(routeId);
    dns.upsert(srvZone, new RecordSet(name, RecordType.SRV, TTL, srv));
    changed.add(name);
    return changed;
  }

  /** Where the route's SRV record points now, if it exists. */
  public Optional<Upstream> current(String routeId) {
    return currentAll(routeId).map(all -> all.get(0));
  }

  /**
   * Every upstream the route's SRV record names now, in the order the DNS provider lists the
   * records; empty if there is no record (or a target has no address record).
   */
  public Optional<List<Upstream>> currentAll(String routeId) {
    List<RecordSet> sets;
    try {
      sets = dns.recordSets(srvZone);
    } catch (kr.codeb.NotFoundException e) {
      return Optional.empty(); // no switch written yet
    }
    DnsName name = srvName(routeId);
    for (RecordSet set : sets) {
      if (set.name().equals(name) && set.type() == RecordType.SRV && !set.records().isEmpty()) {
        List<RecordSet> addresses = srvZone.equals(zone) ? sets : dns.recordSets(zone);
        List<Upstream> found = new java.util.ArrayList<>();
        for (String record : set.records()) {
          String[] parts = record.trim().split("\\s+");
          DnsName target = DnsName.of(parts[3]);
          int port = Integer.parseInt(parts[2]);
          Optional<Upstream> u = addresses.stream().filter(a -> a.name().equals(target)
                  && (a.type() == RecordType.A || a.type() == RecordType.AAAA))
              .findFirst().map(a -> new Upstream(IpAddress.of(a.records().get(0)), port));
          if (u.isEmpty()) {
            return Optional.empty();
          }
          found.add(u.get());
        }
        return Optional.of(found);
      }
    }
    return Optional.empty();
  }

  public boolean remove(String routeId) {
    try {
      return dns.delete(srvZone, srvName(routeId), RecordType.SRV);
    } catch (kr.codeb.NotFoundException e) {
      return false;
    }
  }

  private DnsName target(IpAddress ip) {
    String label = "ip-" + ip.value().replace('.', '-').replace(':', '-');
    return DnsName.of(label + "." + zone.value());
  }

  /**
   * One request through Caddy on a new connection with the route's host and its probe token
   * (none for a route written before tokens): the port of the upstream that answered (from
   * {@link SrvRouteJson#UPSTREAM_PORT_HEADER}), or -1.
   */
  public static int probe(String address, int port, String host, String token) {
    try (Socket socket = new Socket()) {
      socket.setSoTimeout(2_000);
      socket.connect(new InetSocketAddress(address, port), 2_000);
      OutputStream out = socket.getOutputStream();
      out.write(("HEAD / HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: codeb-switch-probe\r\n"
          + (token == null ? "" : SrvRouteJson.PROBE_HEADER + ": " + token + "\r\n")
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String head = new String(in.readNBytes(8192), StandardCharsets.ISO_8859_1);
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim()
            .equalsIgnoreCase(SrvRouteJson.UPSTREAM_PORT_HEADER)) {
          return Integer.parseInt(line.substring(colon + 1).trim());
        }
      }
      return -1;
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }
}
