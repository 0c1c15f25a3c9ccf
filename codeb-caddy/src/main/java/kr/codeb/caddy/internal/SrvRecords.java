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
import kr.codeb.DnsName;
import kr.codeb.DnsProvider;
import kr.codeb.IpAddress;
import kr.codeb.RecordSet;
import kr.codeb.Upstream;

/**
 * The DNS side of {@code switch=srv}: per route an SRV record
 * {@code _codeb._tcp.<route>.<zone>} → {@code 0 0 <port> ip-<address>.<zone>}, and that target's
 * address record. TTL 1 s; PowerDNS's API purges its cache for the zone on every change.
 */
public final class SrvRecords {
  private static final int TTL = 1;

  private final DnsProvider dns;
  private final DnsName zone;
  private volatile boolean zoneReady;

  public SrvRecords(DnsProvider dns, DnsName zone) {
    this.dns = dns;
    this.zone = zone;
  }

  public DnsName srvName(String routeId) {
    return DnsName.of("_codeb._tcp." + routeId.toLowerCase(Locale.ROOT) + "." + zone.value());
  }

  /** Points the route's SRV record at {@code to} (address record first). */
  public void point(String routeId, Upstream to) {
    if (!zoneReady) {
      dns.ensureZone(zone, List.of(DnsName.of("ns1." + zone.value())));
      zoneReady = true;
    }
    DnsName target = target(to.address());
    dns.upsert(zone, new RecordSet(target, to.address().isV4() ? "A" : "AAAA", TTL,
        List.of(to.address().value())));
    dns.upsert(zone, new RecordSet(srvName(routeId), "SRV", TTL,
        List.of("0 0 " + to.port() + " " + target.value())));
  }

  /** Where the route's SRV record points now, if it exists. */
  public Optional<Upstream> current(String routeId) {
    List<RecordSet> sets = dns.recordSets(zone);
    DnsName name = srvName(routeId);
    for (RecordSet set : sets) {
      if (set.name().equals(name) && set.type().equals("SRV") && !set.records().isEmpty()) {
        String[] parts = set.records().get(0).trim().split("\\s+");
        DnsName target = DnsName.of(parts[3]);
        int port = Integer.parseInt(parts[2]);
        for (RecordSet a : sets) {
          if (a.name().equals(target) && (a.type().equals("A") || a.type().equals("AAAA"))) {
            return Optional.of(new Upstream(IpAddress.of(a.records().get(0)), port));
          }
        }
      }
    }
    return Optional.empty();
  }

  public boolean remove(String routeId) {
    return dns.delete(zone, srvName(routeId), "SRV");
  }

  private DnsName target(IpAddress ip) {
    String label = "ip-" + ip.value().replace('.', '-').replace(':', '-');
    return DnsName.of(label + "." + zone.value());
  }

  /**
   * One request through Caddy on a new connection with the route's host: the port of the
   * upstream that answered (from {@link CaddyJson#UPSTREAM_PORT_HEADER}), or -1.
   */
  public static int probe(String address, int port, String host) {
    try (Socket socket = new Socket()) {
      socket.setSoTimeout(2_000);
      socket.connect(new InetSocketAddress(address, port), 2_000);
      OutputStream out = socket.getOutputStream();
      out.write(("HEAD / HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: codeb-switch-probe\r\n"
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String head = new String(in.readNBytes(8192), StandardCharsets.ISO_8859_1);
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim()
            .equalsIgnoreCase(CaddyJson.UPSTREAM_PORT_HEADER)) {
          return Integer.parseInt(line.substring(colon + 1).trim());
        }
      }
      return -1;
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }
}
