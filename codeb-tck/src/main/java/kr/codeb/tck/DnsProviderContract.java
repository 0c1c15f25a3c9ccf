package kr.codeb.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.dns.DnsProvider;
import kr.codeb.dns.RecordSet;
import kr.codeb.dns.RecordType;
import kr.codeb.dns.Zone;
import kr.codeb.model.DnsName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DnsProvider} must do, sentence by sentence of its Javadoc: record sets of
 * each common type round-trip in zone-file form (targets absolute, TXT quoted); an upsert
 * replaces the whole name+type set and nothing else; delete is idempotent and says whether
 * there was something; an unknown zone is {@link NotFoundException}; concurrent upserts on
 * different names all land; {@code ensureZone} is idempotent.
 *
 * <p>Each test works in its own zone {@code t<random>.test.}, made in {@link #zone()} and
 * removed afterwards through {@link #removeZone}, so the suite can run against a server that
 * serves other zones too. The provider handed out by {@link #provider()} must stay open until
 * all test methods of the class ran.
 */
public abstract class DnsProviderContract {
  private final List<DnsName> zones = new CopyOnWriteArrayList<>();
  private DnsName zone;

  /** The provider under test. */
  protected abstract DnsProvider provider();

  /** Removes a zone the contract created (cleanup; the SPI has no zone deletion). */
  protected abstract void removeZone(DnsName zone);

  @BeforeEach
  final void makeZone() {
    zone = newZoneName();
    provider().ensureZone(zone, List.of());
  }

  @AfterEach
  final void removeZones() {
    for (DnsName z : zones) {
      removeZone(z);
    }
    zones.clear();
  }

  /** This test's zone (already created). */
  protected final DnsName zone() {
    return zone;
  }

  /** A fresh unique zone name, removed after the test whether or not it was created. */
  protected final DnsName newZoneName() {
    DnsName name = DnsName.of("t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
        + ".test");
    zones.add(name);
    return name;
  }

  private DnsName name(String label) {
    return DnsName.of(label + "." + zone.value());
  }

  private Optional<RecordSet> find(DnsName name, RecordType type) {
    return provider().recordSets(zone).stream()
        .filter(s -> s.name().equals(name) && s.type() == type).findFirst();
  }

  private List<String> recordsOf(DnsName name, RecordType type) {
    List<String> records = new ArrayList<>(find(name, type).map(RecordSet::records)
        .orElse(List.of()));
    records.sort(null);
    return records;
  }

  private void roundTrip(RecordType type, List<String> given, List<String> expected) {
    DnsName name = name(type.name().toLowerCase(java.util.Locale.ROOT) + "-rt");
    RecordSet returned = provider().upsert(zone, new RecordSet(name, type, 300, given));
    List<String> sortedExpected = new ArrayList<>(expected);
    sortedExpected.sort(null);
    List<String> returnedSorted = new ArrayList<>(returned.records());
    returnedSorted.sort(null);
    assertEquals(sortedExpected, returnedSorted, "what upsert returned");
    assertEquals(sortedExpected, recordsOf(name, type), "what the zone holds");
    assertEquals(300, find(name, type).orElseThrow().ttl());
  }

  @Test
  public final void aRecordsRoundTrip() {
    roundTrip(RecordType.A, List.of("203.0.113.10", "203.0.113.11"), List.of("203.0.113.10", "203.0.113.11"));
  }

  @Test
  public final void aaaaRecordsRoundTripInCanonicalForm() {
    roundTrip(RecordType.AAAA, List.of("2001:DB8:0:0:0:0:0:1"), List.of("2001:db8::1"));
  }

  @Test
  public final void cnameTargetsBecomeAbsolute() {
    roundTrip(RecordType.CNAME, List.of("target.example"), List.of("target.example."));
  }

  @Test
  public final void txtIsQuoted() {
    roundTrip(RecordType.TXT, List.of("v=spf1 -all", "\"already quoted\""),
        List.of("\"v=spf1 -all\"", "\"already quoted\""));
  }

  @Test
  public final void mxRoundTrips() {
    roundTrip(RecordType.MX, List.of("10 mail.example", "20 mail2.example."),
        List.of("10 mail.example.", "20 mail2.example."));
  }

  @Test
  public final void srvRoundTrips() {
    DnsName name = name("_app._tcp");
    RecordSet returned = provider().upsert(zone,
        new RecordSet(name, RecordType.SRV, 60, List.of("10 5 4101 app.example")));
    assertEquals(List.of("10 5 4101 app.example."), returned.records());
    assertEquals(List.of("10 5 4101 app.example."), recordsOf(name, RecordType.SRV));
  }

  @Test
  public final void upsertReplacesTheWholeSetAndNothingElse() {
    DnsName name = name("www");
    provider().upsert(zone, new RecordSet(name, RecordType.A, 300, List.of("203.0.113.1", "203.0.113.2")));
    provider().upsert(zone, new RecordSet(name, RecordType.TXT, 300, List.of("keep me")));
    provider().upsert(zone, new RecordSet(name, RecordType.A, 600, List.of("203.0.113.3")));
    assertEquals(List.of("203.0.113.3"), recordsOf(name, RecordType.A));
    assertEquals(600, find(name, RecordType.A).orElseThrow().ttl());
    assertEquals(List.of("\"keep me\""), recordsOf(name, RecordType.TXT));
    // The same upsert again changes nothing.
    provider().upsert(zone, new RecordSet(name, RecordType.A, 600, List.of("203.0.113.3")));
    assertEquals(List.of("203.0.113.3"), recordsOf(name, RecordType.A));
  }

  @Test
  public final void deleteIsIdempotentAndLeavesOtherTypes() {
    DnsName name = name("gone");
    provider().upsert(zone, new RecordSet(name, RecordType.A, 300, List.of("203.0.113.9")));
    provider().upsert(zone, new RecordSet(name, RecordType.TXT, 300, List.of("stays")));
    assertTrue(provider().delete(zone, name, RecordType.A));
    assertFalse(provider().delete(zone, name, RecordType.A));
    assertFalse(provider().delete(zone, name("never"), RecordType.AAAA));
    assertTrue(find(name, RecordType.A).isEmpty());
    assertEquals(List.of("\"stays\""), recordsOf(name, RecordType.TXT));
  }

  @Test
  public final void unknownZoneIsNotFound() {
    DnsName missing = newZoneName();
    assertThrows(NotFoundException.class, () -> provider().recordSets(missing));
    assertThrows(NotFoundException.class, () -> provider().upsert(missing,
        new RecordSet(DnsName.of("a." + missing.value()), RecordType.A, 300, List.of("203.0.113.1"))));
    assertThrows(NotFoundException.class,
        () -> provider().delete(missing, DnsName.of("a." + missing.value()), RecordType.A));
  }

  @Test
  public final void badContentIsRefusedAndNothingWritten() {
    DnsName name = name("bad");
    assertThrows(InvalidRequestException.class,
        () -> provider().upsert(zone, new RecordSet(name, RecordType.A, 300, List.of("not-an-ip"))));
    assertThrows(InvalidRequestException.class,
        () -> provider().upsert(zone, new RecordSet(name, RecordType.A, 300, List.of("2001:db8::1"))));
    assertThrows(InvalidRequestException.class,
        () -> provider().upsert(zone, new RecordSet(name, RecordType.AAAA, 300, List.of("203.0.113.1"))));
    assertThrows(InvalidRequestException.class,
        () -> provider().upsert(zone, new RecordSet(name, RecordType.MX, 300, List.of("mail.example"))));
    assertThrows(InvalidRequestException.class,
        () -> provider().upsert(zone, new RecordSet(name, RecordType.SRV, 300, List.of("1 2 99999 a.b."))));
    assertThrows(InvalidRequestException.class,
        () -> provider().upsert(zone, new RecordSet(name, RecordType.TXT, 300, List.of("a\nb"))));
    assertThrows(InvalidRequestException.class, () -> provider().upsert(zone,
        new RecordSet(DnsName.of("elsewhere.example"), RecordType.A, 300, List.of("203.0.113.1"))));
    assertTrue(provider().recordSets(zone).stream().noneMatch(s -> s.name().equals(name)));
  }

  @Test
  public final void ensureZoneIsIdempotentAndListed() {
    Zone first = provider().ensureZone(zone, List.of());
    Zone again = provider().ensureZone(zone, List.of(DnsName.of("ns1.example")));
    assertEquals(zone, first.name());
    assertEquals(zone, again.name());
    assertTrue(provider().zones().stream().anyMatch(z -> z.name().equals(zone)));
    DnsName withNs = newZoneName();
    Zone made = provider().ensureZone(withNs, List.of(DnsName.of("ns1.example")));
    assertEquals(List.of(DnsName.of("ns1.example.")), made.nameservers());
    assertEquals(List.of("ns1.example."), provider().recordSets(withNs).stream()
        .filter(s -> s.name().equals(withNs) && s.type() == RecordType.NS)
        .flatMap(s -> s.records().stream()).toList());
  }

  @Test
  public final void concurrentUpsertsOnDifferentNamesAllLand() throws Exception {
    int n = 12;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        int k = i;
        futures.add(pool.submit(() -> {
          start.await();
          provider().upsert(zone, new RecordSet(name("c" + k), RecordType.A, 300,
              List.of("203.0.113." + (k + 1))));
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    List<RecordSet> sets = provider().recordSets(zone);
    for (int i = 0; i < n; i++) {
      DnsName name = name("c" + i);
      String ip = "203.0.113." + (i + 1);
      assertTrue(sets.stream().anyMatch(s -> s.name().equals(name) && s.records().equals(List.of(ip))),
          name + " A " + ip + " is missing: " + sets);
    }
  }
}
