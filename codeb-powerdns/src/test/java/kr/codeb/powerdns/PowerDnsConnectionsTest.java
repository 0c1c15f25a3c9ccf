package kr.codeb.powerdns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.UUID;
import kr.codeb.Secret;
import kr.codeb.dns.RecordSet;
import kr.codeb.dns.RecordType;
import kr.codeb.http.MisbehavingForwarder.Mode;
import kr.codeb.http.MisbehavingForwarder;
import kr.codeb.model.DnsName;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real PowerDNS behind a forwarder that closes connections the way servers in the field
 * do: after every answer (speaking HTTP/1.0), when idle for a second, or in the middle of an
 * answer. Every change still happens exactly once and no call fails.
 */
class PowerDnsConnectionsTest {
  private final DnsName zone = DnsName.of("conn-" + UUID.randomUUID().toString().substring(0, 8)
      + ".codeb-test.");
  private final DnsName www = DnsName.of("www." + zone.value());
  private PowerDnsProvider direct;

  @BeforeEach
  void open() {
    direct = PowerDnsProvider.create(PowerDnsConfig.of(
        URI.create(TestEngines.require("CODEB_TEST_PDNS_API")), key()));
  }

  @AfterEach
  void close() {
    direct.deleteZone(zone);
    direct.close();
  }

  private static Secret key() {
    return Secret.of(TestEngines.require("CODEB_TEST_PDNS_API_KEY"));
  }

  private static PowerDnsProvider through(MisbehavingForwarder f) {
    return PowerDnsProvider.create(PowerDnsConfig.of(f.uri(), key()));
  }

  private RecordSet a(String address) {
    return new RecordSet(www, RecordType.A, 60, List.of(address));
  }

  private void assertZoneHolds(String address) {
    assertEquals(1, direct.zones().stream().filter(z -> z.name().equals(zone)).count());
    assertEquals(List.of(a(address)), direct.recordSets(zone).stream()
        .filter(s -> s.name().equals(www) && s.type() == RecordType.A).toList());
  }

  @Test
  void aServerClosingAfterEveryAnswer() throws Exception {
    try (MisbehavingForwarder f = new MisbehavingForwarder(
            URI.create(TestEngines.require("CODEB_TEST_PDNS_API")), Mode.HTTP10_CLOSE);
        PowerDnsProvider dns = through(f)) {
      dns.zones();
      dns.ensureZone(zone, List.of(DnsName.of("ns1.example.")));
      dns.upsert(zone, a("203.0.113.7"));
      dns.recordSets(zone);
      assertEquals(1, f.requests().stream().filter(r -> r.startsWith("POST")).count());
    }
    assertZoneHolds("203.0.113.7");
  }

  @Test
  void aServerClosingIdleConnectionsAfterASecond() throws Exception {
    try (MisbehavingForwarder f = new MisbehavingForwarder(
            URI.create(TestEngines.require("CODEB_TEST_PDNS_API")), Mode.IDLE_CLOSE);
        PowerDnsProvider dns = through(f)) {
      dns.zones();
      Thread.sleep(2 * MisbehavingForwarder.IDLE_MILLIS);
      dns.ensureZone(zone, List.of(DnsName.of("ns1.example.")));
      Thread.sleep(2 * MisbehavingForwarder.IDLE_MILLIS);
      dns.upsert(zone, a("203.0.113.8"));
      Thread.sleep(2 * MisbehavingForwarder.IDLE_MILLIS);
      assertTrue(dns.delete(zone, www, RecordType.A));
      dns.upsert(zone, a("203.0.113.9"));
      assertEquals(1, f.requests().stream().filter(r -> r.startsWith("POST")).count());
      assertTrue(f.connections() >= 3, "idle connections were closed: " + f.connections());
    }
    assertZoneHolds("203.0.113.9");
  }

  @Test
  void aResetInTheMiddleOfAnAnswer() throws Exception {
    try (MisbehavingForwarder f = new MisbehavingForwarder(
            URI.create(TestEngines.require("CODEB_TEST_PDNS_API")), Mode.IDLE_CLOSE);
        PowerDnsProvider dns = through(f)) {
      f.resetNext("GET", 1);
      dns.zones();
      f.resetNext("POST", 1);
      // The zone was made but its answer was lost: ensureZone reads it back, never posts twice.
      assertEquals(zone, dns.ensureZone(zone, List.of(DnsName.of("ns1.example."))).name());
      assertEquals(1, f.requests().stream().filter(r -> r.startsWith("POST")).count());
      f.resetNext("PATCH", 1);
      dns.upsert(zone, a("203.0.113.10"));
    }
    assertZoneHolds("203.0.113.10");
  }
}
