package kr.codeb.caddy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderConfig;
import kr.codeb.ProviderRegistry;
import kr.codeb.caddy.internal.AdminClient;
import kr.codeb.caddy.internal.CaddyJson;
import kr.codeb.model.IpAddress;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;
import org.junit.jupiter.api.Test;

/** URI parsing, the JSON shape and the ETag arithmetic: no Caddy needed. */
class CaddyConfigTest {
  private static CaddyConfig parse(String uri) {
    return CaddyConfig.from(ProviderConfig.of(URI.create(uri)));
  }

  @Test
  void defaults() {
    CaddyConfig config = parse("caddy+http://127.0.0.1:2019");
    assertEquals(URI.create("http://127.0.0.1:2019"), config.admin());
    assertEquals(List.of(":80", ":443"), config.listen());
    assertEquals("codeb", config.server());
    assertTrue(config.automaticHttps());
  }

  @Test
  void repeatedListenServerAndAutoHttps() {
    CaddyConfig config = parse("caddy+https://edge.internal:2019?listen=127.0.0.1:8080"
        + "&listen=%5B::1%5D:8080&server=edge_1&auto_https=off");
    assertEquals(URI.create("https://edge.internal:2019"), config.admin());
    assertEquals(List.of("127.0.0.1:8080", "[::1]:8080"), config.listen());
    assertEquals("edge_1", config.server());
    assertFalse(config.automaticHttps());
  }

  @Test
  void maintenanceDirIsAnAbsoluteFolderWithoutDotParts() {
    assertFalse(parse("caddy+http://127.0.0.1:2019").maintenanceInFiles());
    CaddyConfig config = parse("caddy+http://127.0.0.1:2019?maintenance_dir=/var/lib/codeb/m/");
    assertTrue(config.maintenanceInFiles());
    assertEquals("/var/lib/codeb/m", config.maintenanceDir());
    for (String bad : List.of("relative/m", "/var/../etc", "/var/./m", "/a%20b", "/a;rm", "/a/..")) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class,
          () -> parse("caddy+http://127.0.0.1:2019?maintenance_dir=" + bad), bad);
      assertTrue(e.getMessage().contains("absolute folder path"), e.getMessage());
    }
    assertEquals("/srv/m", CaddyConfig.of(URI.create("http://127.0.0.1:2019"))
        .withMaintenanceDir("/srv/m").maintenanceDir());
  }

  @Test
  void badUrisSayWhatIsAllowed() {
    assertThrows(InvalidRequestException.class, () -> parse("caddy+http://127.0.0.1"));
    assertThrows(InvalidRequestException.class, () -> parse("caddy+http://127.0.0.1:2019?listen=8080"));
    assertThrows(InvalidRequestException.class, () -> parse("caddy+http://127.0.0.1:2019?auto_https=maybe"));
    assertThrows(InvalidRequestException.class, () -> parse("caddy+http://127.0.0.1:2019?server=a/b"));
    InvalidRequestException unknown = assertThrows(InvalidRequestException.class,
        () -> parse("caddy+http://127.0.0.1:2019?lsten=:80"));
    assertTrue(unknown.getMessage().contains("listen, server, auto_https"), unknown.getMessage());
    assertThrows(InvalidRequestException.class,
        () -> CaddyConfig.of(URI.create("http://127.0.0.1:2019/config/")));
  }

  private static final String SRV = "caddy+http://127.0.0.1:2019?dns=powerdns%2Bhttp://127.0.0.1:8081"
      + "&dns_resolver=127.0.0.1:5353";
  private static final String KEY = "recursor-key-4711";

  private static CaddyConfig withKey(String uri) {
    return CaddyConfig.from(new ProviderConfig(URI.create(uri), java.util.Map.of(),
        name -> name.equals("CODEB_POWERDNS_RECURSOR_API_KEY") ? KEY : null));
  }

  private static String refused(String uri) {
    return assertThrows(InvalidRequestException.class, () -> withKey(uri)).getMessage();
  }

  @Test
  void dnsCacheIsReadFromTheUriWithItsKeyFromTheEnvironment() {
    CaddyConfig config = withKey(SRV + "&dns_cache=powerdns-recursor%2Bhttp://127.0.0.1:8082"
        + "&dns_cache_resolver=127.0.0.1:5300");
    DnsCache cache = config.switching().cache().orElseThrow();
    assertEquals(URI.create("http://127.0.0.1:8082"), cache.api());
    assertEquals("127.0.0.1:5300", cache.resolver());
    assertEquals(KEY, cache.apiKey().reveal());
    assertFalse(config.toString().contains(KEY), config.toString());
    assertFalse(cache.toString().contains(KEY), cache.toString());
    assertEquals(java.util.Optional.empty(), withKey(SRV).switching().cache());
    assertEquals("[::1]:5300", withKey(SRV + "&dns_cache=powerdns-recursor%2Bhttp://[::1]:8082"
        + "&dns_cache_resolver=%5B::1%5D:5300").switching().cache().orElseThrow().resolver());
  }

  @Test
  void srvRefreshDefaultsTo10MillisecondsAndIsBounded() {
    assertEquals(java.time.Duration.ofMillis(10), withKey(SRV).switching().refresh());
    assertEquals(java.time.Duration.ofMillis(10), CaddySwitch.srv(
        URI.create("powerdns+http://127.0.0.1:8081"), "127.0.0.1:5353").refresh());
    assertEquals(java.time.Duration.ofMillis(250),
        withKey(SRV + "&srv_refresh_ms=250").switching().refresh());
    assertEquals(java.time.Duration.ofSeconds(60),
        withKey(SRV + "&srv_refresh_ms=60000").switching().refresh());
    String tooFast = refused(SRV + "&srv_refresh_ms=9");
    assertTrue(tooFast.contains("between 10ms and 60s"), tooFast);
    String tooSlow = refused(SRV + "&srv_refresh_ms=60001");
    assertTrue(tooSlow.contains("between 10ms and 60s"), tooSlow);
  }

  @Test
  void badDnsCacheParametersSayWhatIsWrongAndWhatIsAllowed() {
    String api = "&dns_cache=powerdns-recursor%2Bhttp://127.0.0.1:8082";
    String resolver = "&dns_cache_resolver=127.0.0.1:5300";
    assertTrue(refused(SRV + api).contains("dns_cache_resolver is missing"));
    assertTrue(refused(SRV + resolver).contains("dns_cache is missing"));
    String scheme = refused(SRV + "&dns_cache=http://127.0.0.1:8082" + resolver);
    assertTrue(scheme.contains("powerdns-recursor+http://HOST:PORT"), scheme);
    String path = refused(SRV + "&dns_cache=powerdns-recursor%2Bhttp://127.0.0.1:8082/api" + resolver);
    assertTrue(path.contains("without a path"), path);
    String host = refused(SRV + api + "&dns_cache_resolver=localhost:5300");
    assertTrue(host.contains("IP:PORT"), host);
    assertTrue(refused(SRV + api + "&dns_cache_resolver=127.0.0.1").contains("IP:PORT"));
    assertTrue(refused(SRV + api + "&dns_cache_resolver=127.0.0.1:70000").contains("IP:PORT"));
    assertTrue(refused(SRV + api + "&dns_cache_resolver=300.0.0.1:53").contains("IP:PORT"));
    String same = refused(SRV + api + "&dns_cache_resolver=127.0.0.1:5353");
    assertTrue(same.contains("same address as dns_resolver"), same);
    String reload = refused(SRV + "&switch=reload" + api + resolver);
    assertTrue(reload.contains("only applies to switch=srv"), reload);
    String noKey = assertThrows(InvalidRequestException.class, () -> CaddyConfig.from(
        new ProviderConfig(URI.create(SRV + api + resolver), java.util.Map.of(), name -> null)))
        .getMessage();
    assertTrue(noKey.contains("CODEB_POWERDNS_RECURSOR_API_KEY"), noKey);
    String refresh = refused(SRV + "&srv_refresh_ms=fast");
    assertTrue(refresh.contains("whole number of milliseconds"), refresh);
    String password = refused(SRV + "&dns_cache=http://admin:hunter2@127.0.0.1:8082" + resolver);
    assertTrue(password.contains("***@127.0.0.1") && !password.contains("hunter2"), password);
    String withUserInfo = refused(SRV
        + "&dns_cache=powerdns-recursor%2Bhttp://admin:hunter2@127.0.0.1:8082" + resolver);
    assertFalse(withUserInfo.contains("hunter2"), withUserInfo);
    String echoed = refused(SRV + "&dns_cache_key=x&dns_cache=http://admin:hunter2@127.0.0.1:1");
    assertFalse(echoed.contains("hunter2"), echoed);
    String unknown = refused(SRV + "&dns_cache_key=x");
    assertTrue(unknown.contains("dns_cache, dns_cache_resolver"), unknown);
  }

  @Test
  void factoryIsFoundByTheRegistryAndDoesNoIo() {
    // Nothing listens on port 1: creating must still work, as no connection is opened.
    try (ReverseProxy proxy = ProviderRegistry.load()
        .reverseProxy("caddy+http://127.0.0.1:1?listen=127.0.0.1:8080&auto_https=off")) {
      CaddyProxy caddy = assertInstanceOf(CaddyProxy.class, proxy);
      assertEquals(List.of("127.0.0.1:8080"), caddy.config().listen());
      assertEquals("caddy", proxy.info().id());
    }
  }

  @Test
  void routeJsonRoundTrips() {
    Route route = new Route("vsvs-kr-production", List.of("vsvs.kr", "www.vsvs.kr"),
        new Upstream(IpAddress.of("127.0.0.1"), 4101));
    assertEquals(route, CaddyJson.toRoute(CaddyJson.route(route)).orElseThrow());
    Route v6 = new Route("v6", List.of(), new Upstream(IpAddress.of("fd00::1"), 4102));
    assertEquals("[fd00::1]:4102",
        CaddyJson.route(v6).at("/handle/0/upstreams/0/dial").asText());
    assertEquals(List.of(CaddyJson.NO_HOST), List.of(
        CaddyJson.route(v6).at("/match/0/host/0").asText()));
    assertEquals(v6, CaddyJson.toRoute(CaddyJson.route(v6)).orElseThrow());
  }

  @Test
  void etagIsComputedAsCaddyDoes() {
    // Seen from Caddy 2.6.2: GET /config/ of this body answered the trailer below.
    byte[] body = "{\"admin\":{\"config\":{\"persist\":false},\"listen\":\"127.0.0.1:22955\"}}\n"
        .getBytes(StandardCharsets.UTF_8);
    assertEquals("\"/config/ 5c49ff02\"", AdminClient.etag("/config/", body));
  }
}
