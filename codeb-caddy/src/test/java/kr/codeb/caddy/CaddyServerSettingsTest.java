package kr.codeb.caddy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import kr.codeb.caddy.internal.AdminClient;
import kr.codeb.caddy.internal.CaddyJson;
import kr.codeb.caddy.internal.TlsPolicyJson;
import kr.codeb.model.IpAddress;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CodeB's server in the real Caddy follows the proxy URI on every write, also when it was made
 * with other settings: automatic HTTPS, the TLS policy, the listen addresses, the catch-all.
 */
class CaddyServerSettingsTest {
  private static final Upstream DEAD = new Upstream(IpAddress.of("127.0.0.1"), 9);

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private URI adminUri;
  private AdminClient admin;
  private CaddyConfig plain;
  private int port;
  private Route route;

  @BeforeEach
  void setUp() {
    adminUri = URI.create(TestEngines.require("CODEB_TEST_CADDY_ADMIN"));
    admin = new AdminClient(adminUri, Duration.ofSeconds(30));
    port = freePort();
    plain = CaddyConfig.of(adminUri).withServer("codeb-s-" + run)
        .withListen(List.of("127.0.0.1:" + port)).withAutomaticHttps(false);
    route = new Route("r-" + run, List.of("r-" + run + ".example"), DEAD);
  }

  @AfterEach
  void tearDown() {
    admin.change("DELETE", serverPath(), null, null);
    if (!admin.get("/id/" + TlsPolicyJson.policyId(plain.server())).missing()) {
      admin.change("DELETE", "/id/" + TlsPolicyJson.policyId(plain.server()), null, null);
    }
    admin.close();
  }

  private String serverPath() {
    return "/config/apps/http/servers/" + plain.server();
  }

  private JsonNode server() {
    return admin.get(serverPath()).body();
  }

  private void upsertWith(CaddyConfig config) {
    try (CaddyProxy proxy = CaddyProxy.create(config)) {
      proxy.upsert(route);
    }
  }

  @Test
  void automaticHttpsAndTheTlsPolicyFollowTheUri() throws Exception {
    upsertWith(plain.withAutomaticHttps(true).withTls(CaddyConfig.TLS_INTERNAL));
    assertEquals(CaddyJson.automaticHttps(true), server().path("automatic_https"));
    assertTrue(plainGet(route.hosts().get(0)).contains("HTTP request to an HTTPS server"),
        "automatic HTTPS made the server TLS-only");
    assertTrue(!admin.get("/id/" + TlsPolicyJson.policyId(plain.server())).missing());

    upsertWith(plain); // the same route: only the settings differ
    assertEquals(CaddyJson.automaticHttps(false), server().path("automatic_https"));
    assertTrue(admin.get("/id/" + TlsPolicyJson.policyId(plain.server())).missing(),
        "tls=auto: CodeB's internal policy is removed");
    String answer = plainGet(route.hosts().get(0));
    assertTrue(answer.startsWith("HTTP/1.1 502"), "plain HTTP reaches the route: " + answer);

    upsertWith(plain.withAutomaticHttps(true).withTls(CaddyConfig.TLS_INTERNAL));
    assertEquals(CaddyJson.automaticHttps(true), server().path("automatic_https"));
    assertTrue(!admin.get("/id/" + TlsPolicyJson.policyId(plain.server())).missing());
  }

  @Test
  void twoServersWithoutRoutesKeepTheirInternalPoliciesApart() {
    CaddyConfig first = plain.withAutomaticHttps(true).withTls(CaddyConfig.TLS_INTERNAL);
    CaddyConfig second = first.withServer("codeb-s2-" + run).withListen(List.of("127.0.0.1:"
        + freePort()));
    try {
      for (CaddyConfig config : List.of(first, second)) {
        try (CaddyProxy proxy = CaddyProxy.create(config)) {
          proxy.upsert(route);
          proxy.remove(route.id());
        }
      }
      // both policies are empty now; a third change must still be accepted by Caddy
      try (CaddyProxy proxy = CaddyProxy.create(second)) {
        proxy.upsert(route);
        assertEquals(List.of(route.id()), proxy.routes().stream().map(Route::id).toList());
      }
    } finally {
      admin.change("DELETE", "/config/apps/http/servers/" + second.server(), null, null);
      if (!admin.get("/id/" + TlsPolicyJson.policyId(second.server())).missing()) {
        admin.change("DELETE", "/id/" + TlsPolicyJson.policyId(second.server()), null, null);
      }
    }
  }

  /**
   * The trap: a server first made with automatic HTTPS keeps it, and keeps answering TLS, while
   * a proxy whose URI says auto_https=off only switches upstreams. The settings report shows
   * it, and reconciling them (routes untouched) makes the listener answer plain HTTP.
   */
  @Test
  void settingDifferencesShowTheKeptAutomaticHttpsAndReconcileFixesIt() throws Exception {
    upsertWith(plain.withAutomaticHttps(true).withTls(CaddyConfig.TLS_INTERNAL));
    try (CaddyProxy off = CaddyProxy.create(plain)) {
      off.switchUpstream(route.id(), new Upstream(IpAddress.of("127.0.0.1"), 10));
      assertTrue(plainGet(route.hosts().get(0)).contains("HTTP request to an HTTPS server"),
          "a switch leaves automatic HTTPS on");
      List<kr.codeb.proxy.ProxySetting> differences = off.settingDifferences();
      assertEquals(List.of("automatic_https"), differences.stream()
          .map(kr.codeb.proxy.ProxySetting::name).toList(), differences.toString());
      assertEquals(CaddyJson.automaticHttps(false).toString(), differences.get(0).expected());
      assertEquals(CaddyJson.automaticHttps(true).toString(), differences.get(0).actual());

      off.reconcileSettings();
      assertEquals(List.of(), off.settingDifferences());
      assertEquals(10, off.route(route.id()).orElseThrow().upstream().port(), "routes untouched");
      String answer = plainGet(route.hosts().get(0));
      assertTrue(answer.startsWith("HTTP/1.1 502"), "plain HTTP reaches the route: " + answer);
      off.reconcileSettings(); // idempotent
      assertEquals(List.of(), off.settingDifferences());
    }
  }

  @Test
  void listenAddressesAndTheCatchAllFollowTheUri() {
    upsertWith(plain);
    int other = freePort();
    upsertWith(plain.withListen(List.of("127.0.0.1:" + other)));
    assertEquals("[\"127.0.0.1:" + other + "\"]", server().path("listen").toString());

    JsonNode routes = server().path("routes");
    int catchAll = CaddyJson.indexOf(routes, CaddyJson.CATCH_ALL_ID);
    admin.change("DELETE", serverPath() + "/routes/" + catchAll, null, null);
    admin.change("DELETE", serverPath() + "/automatic_https", null, null);
    upsertWith(plain.withListen(List.of("127.0.0.1:" + other)));
    routes = server().path("routes");
    assertEquals(CaddyJson.CATCH_ALL_ID, CaddyJson.idOf(routes.get(routes.size() - 1)));
    assertEquals(CaddyJson.automaticHttps(false), server().path("automatic_https"));
    assertEquals(2, routes.size(), routes.toString());
  }

  /** A plain HTTP GET to CodeB's server: the status line and the body. */
  private String plainGet(String host) throws IOException {
    int listening = Integer.parseInt(server().path("listen").get(0).asText().replaceFirst(".*:", ""));
    try (Socket s = new Socket("127.0.0.1", listening)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
