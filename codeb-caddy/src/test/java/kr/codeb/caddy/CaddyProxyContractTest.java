package kr.codeb.caddy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import kr.codeb.proxy.Maintenance;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.proxy.Route;
import kr.codeb.tck.ProxyMaintenanceContract;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reverse-proxy contract against the real Caddy of the test environment, with maintenance
 * mode in files on this machine ({@code maintenance_dir}); plus a check that turning it on and
 * off leaves Caddy's config as it was (no reload).
 */
class CaddyProxyContractTest extends ProxyMaintenanceContract {
  private static CaddyProxy proxy;
  private static URI traffic;

  @TempDir static Path maintenanceDir;

  @BeforeAll
  static void open() {
    String admin = TestEngines.require("CODEB_TEST_CADDY_ADMIN");
    String port = TestEngines.require("CODEB_TEST_CADDY_HTTP_PORT");
    proxy = CaddyProxy.create(CaddyConfig.of(URI.create(admin))
        .withListen(List.of("127.0.0.1:" + port))
        .withAutomaticHttps(false)
        .withMaintenanceDir(maintenanceDir.toString()));
    traffic = URI.create("http://127.0.0.1:" + port);
  }

  @AfterAll
  static void close() {
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void maintenanceInFilesChangesNothingInCaddysConfig() throws Exception {
    String host = host();
    Route route = new Route(id(), List.of(host), blue());
    proxy.upsert(route);
    String before = config();
    proxy.maintenanceOn(route.id(), Maintenance.of(Duration.ofSeconds(7)));
    assertEquals(503, get(host).status());
    assertEquals(before, config(), "maintenance on changed Caddy's config");
    assertTrue(Files.exists(maintenanceDir.resolve(route.id() + ".on")));
    assertTrue(proxy.maintenanceOff(route.id()));
    assertEquals(before, config(), "maintenance off changed Caddy's config");
    assertEquals(new Reply(200, "blue"), get(host));
  }

  private static String config() throws Exception {
    String admin = TestEngines.require("CODEB_TEST_CADDY_ADMIN");
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(admin + "/config/"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  @Override
  protected ReverseProxy proxy() {
    return proxy;
  }

  @Override
  protected URI trafficEndpoint() {
    return traffic;
  }
}
