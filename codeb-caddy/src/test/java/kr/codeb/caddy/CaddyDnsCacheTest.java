package kr.codeb.caddy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.InitialDirContext;
import kr.codeb.Secret;
import kr.codeb.model.DnsName;
import kr.codeb.powerdns.PowerDnsConfig;
import kr.codeb.powerdns.PowerDnsProvider;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code switch=srv} with the serve-stale cache, against the real Caddy of the test environment
 * and a PowerDNS + PowerDNS Recursor pair of this test's own ({@link PrivateDns}), which it stops
 * and starts: each dependency down in turn, with traffic through Caddy counted per slot. Caddy
 * serves the routes on a server and port of their own.
 */
class CaddyDnsCacheTest {
  private static PrivateDns dns;
  private static PowerDnsProvider pdns;
  private static CaddyProxy proxy;
  private static int port;
  private static DnsName zone;
  private SlotServers slots;
  private Upstream blue;
  private Upstream green;
  private Route route;

  @BeforeAll
  static void open() throws Exception {
    String admin = TestEngines.require("CODEB_TEST_CADDY_ADMIN");
    // The shared recursor's variable says pdns-recursor is installed (test-env.sh up).
    TestEngines.require("CODEB_TEST_PDNS_RECURSOR_DNS");
    dns = new PrivateDns();
    pdns = PowerDnsProvider.create(PowerDnsConfig.of(dns.authApi, Secret.of(dns.authKey)));
    zone = DnsName.of("stale-" + UUID.randomUUID().toString().substring(0, 8) + ".codeb-tck.test.");
    port = PrivateDns.freePort();
    CaddySwitch srv = CaddySwitch.srv(dns.authApi, dns.authDns).withZone(zone)
        .withCache(DnsCache.of(dns.cacheApi, dns.cacheDns, Secret.of(dns.cacheKey)));
    proxy = CaddyProxy.create(CaddyConfig.of(URI.create(admin))
        .withServer("codeb-stale-" + UUID.randomUUID().toString().substring(0, 6))
        .withListen(List.of("127.0.0.1:" + port))
        .withAutomaticHttps(false)
        .withSwitching(srv), pdns);
  }

  @AfterAll
  static void close() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    if (pdns != null) {
      pdns.close();
    }
    if (dns != null) {
      dns.close();
    }
  }

  @BeforeEach
  void upstreams() throws IOException {
    slots = SlotServers.start();
    blue = slots.blue;
    green = slots.green;
    route = slots.routeToBlue("stale-");
  }

  @AfterEach
  void cleanUp() {
    try {
      proxy.remove(route.id());
    } finally {
      slots.close();
    }
  }

  @Test
  void aSwitchFlushesTheCacheSoItAnswersTheNewRecordAtOnce() throws Exception {
    proxy.upsert(route);
    String name = "_codeb._tcp." + route.id() + "._srv." + zone.value();
    assertEquals(blue.port(), srvPortAt(dns.cacheDns, name), "the cache now holds blue's record");
    proxy.switchUpstream(route.id(), green);
    // Without the flush the cache would answer blue's record until its TTL (1 s) ran out.
    assertEquals(green.port(), srvPortAt(dns.cacheDns, name), "right after the switch");
    proxy.awaitUpstream(route.id(), green, Duration.ofSeconds(5));
    assertEquals(Map.of("green", 20), countFor(20));
  }

  @Test
  void withPowerDnsDownTrafficStaysOnTheLiveSlot() throws Exception {
    liveOnGreenWithBlueAsStaticFallback();
    dns.stopAuth();
    try {
      Map<String, Integer> answers = countFor(Duration.ofSeconds(4));
      assertEquals(Map.of("green", answers.getOrDefault("green", 0)), answers,
          "every answer from the live slot, none failed, while PowerDNS was down");
      assertTrue(answers.get("green") > 20, () -> "too few requests got through: " + answers);
    } finally {
      dns.startAuth();
    }
    proxy.switchUpstream(route.id(), blue);
    proxy.awaitUpstream(route.id(), blue, Duration.ofSeconds(5));
    assertEquals(Map.of("blue", 10), countFor(10), "switching works again once PowerDNS is back");
  }

  @Test
  void withTheCacheDownSwitchingStillWorks() throws Exception {
    proxy.upsert(route);
    dns.stopCache();
    try {
      proxy.switchUpstream(route.id(), green); // the flush fails: a warning, no exception
      proxy.awaitUpstream(route.id(), green, Duration.ofSeconds(5));
      Map<String, Integer> answers = countFor(Duration.ofSeconds(3));
      assertEquals(Map.of("green", answers.getOrDefault("green", 0)), answers,
          "every answer from the live slot, none failed, while the cache was down");
      assertTrue(answers.get("green") > 20, () -> "too few requests got through: " + answers);
      proxy.switchUpstream(route.id(), blue);
      proxy.awaitUpstream(route.id(), blue, Duration.ofSeconds(5));
      assertEquals(Map.of("blue", 10), countFor(10));
    } finally {
      dns.startCache();
    }
  }

  @Test
  void withBothDownCaddyUsesTheStaticUpstreamAndNoRequestFails() throws Exception {
    liveOnGreenWithBlueAsStaticFallback();
    dns.stopCache();
    dns.stopAuth();
    try {
      Map<String, Integer> answers = countFor(Duration.ofSeconds(2));
      assertEquals(Map.of("blue", answers.getOrDefault("blue", 0)), answers,
          "the documented last resort: the slot of the route's last config write");
    } finally {
      dns.startAuth();
      dns.startCache();
    }
  }

  /** Live slot green through the SRV record, while the handler's static upstream is still blue. */
  private void liveOnGreenWithBlueAsStaticFallback() {
    proxy.upsert(route);
    proxy.switchUpstream(route.id(), green);
    proxy.awaitUpstream(route.id(), green, Duration.ofSeconds(5));
    assertEquals(Map.of("green", 20), countFor(20));
    // What makes the outage tests meaningful: Caddy's own fallback would be blue.
    kr.codeb.caddy.internal.AdminClient admin = new kr.codeb.caddy.internal.AdminClient(
        proxy.config().admin(), Duration.ofSeconds(5));
    try (admin) {
      assertEquals(blue.dial(), admin.get("/id/codeb-upstream-" + route.id())
          .body().at("/upstreams/0/dial").asText());
    }
  }

  private Map<String, Integer> countFor(int requests) {
    Map<String, Integer> answers = new TreeMap<>();
    for (int i = 0; i < requests; i++) {
      answers.merge(get(), 1, Integer::sum);
    }
    return answers;
  }

  private Map<String, Integer> countFor(Duration time) {
    Map<String, Integer> answers = new TreeMap<>();
    long end = System.nanoTime() + time.toNanos();
    while (System.nanoTime() < end) {
      answers.merge(get(), 1, Integer::sum);
    }
    return answers;
  }

  /** One request on a new connection: the slot's name, {@code status-N}, or {@code error}. */
  private String get() {
    try (Socket s = new Socket()) {
      s.setSoTimeout(5_000);
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
      s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + route.hosts().get(0)
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      String status = all.length() > 12 ? all.substring(9, 12) : "";
      return status.equals("200") ? all.substring(all.indexOf("\r\n\r\n") + 4).strip()
          : "status-" + status;
    } catch (IOException e) {
      return "error";
    }
  }

  /** The port of the SRV record for {@code name}, asked of the DNS server at {@code server}. */
  private static int srvPortAt(String server, String name) throws NamingException {
    Hashtable<String, String> env = new Hashtable<>();
    env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
    env.put(Context.PROVIDER_URL, "dns://" + server);
    InitialDirContext context = new InitialDirContext(env);
    try {
      Attribute srv = context.getAttributes(name, new String[] {"SRV"}).get("SRV");
      return Integer.parseInt(srv.get(0).toString().trim().split("\\s+")[2]);
    } finally {
      context.close();
    }
  }
}
