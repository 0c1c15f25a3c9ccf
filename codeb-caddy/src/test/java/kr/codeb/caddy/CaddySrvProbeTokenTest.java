package kr.codeb.caddy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import kr.codeb.Secret;
import kr.codeb.caddy.internal.AdminClient;
import kr.codeb.caddy.internal.CaddyJson;
import kr.codeb.caddy.internal.SrvRouteJson;
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
 * The slot's host port reaches only CodeB's own switch probes: with {@code switch=srv} (on the
 * test environment's Caddy and PowerDNS, a server and port of its own) an ordinary response
 * carries no {@value SrvRouteJson#UPSTREAM_PORT_HEADER}, a wrong token gets none either, the
 * route's token does, and the token never reaches the app.
 */
class CaddySrvProbeTokenTest {
  private static PowerDnsProvider dns;
  private static CaddyProxy proxy;
  private static AdminClient admin;
  private static int port;
  private SlotServers slots;
  private Upstream blue;
  private Upstream green;
  private Route route;

  @BeforeAll
  static void open() throws IOException {
    URI caddy = URI.create(TestEngines.require("CODEB_TEST_CADDY_ADMIN"));
    URI api = URI.create(TestEngines.require("CODEB_TEST_PDNS_API"));
    dns = PowerDnsProvider.create(PowerDnsConfig.of(api,
        Secret.of(TestEngines.require("CODEB_TEST_PDNS_API_KEY"))));
    DnsName zone = DnsName.of("tok-" + UUID.randomUUID().toString().substring(0, 8) + ".codeb-tck.test.");
    port = PrivateDns.freePort();
    proxy = CaddyProxy.create(CaddyConfig.of(caddy)
        .withServer("codeb-token-" + UUID.randomUUID().toString().substring(0, 6))
        .withListen(List.of("127.0.0.1:" + port))
        .withAutomaticHttps(false)
        .withSwitching(CaddySwitch.srv(api, TestEngines.require("CODEB_TEST_PDNS_DNS")).withZone(zone)),
        dns);
    admin = new AdminClient(caddy, Duration.ofSeconds(10));
  }

  @AfterAll
  static void close() {
    if (proxy != null) {
      proxy.close();
    }
    if (dns != null) {
      dns.close();
    }
    if (admin != null) {
      admin.close();
    }
  }

  @BeforeEach
  void upstreams() throws IOException {
    slots = SlotServers.start();
    blue = slots.blue;
    green = slots.green;
    route = slots.routeToBlue("tok-");
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
  void onlyARequestWithTheRoutesTokenLearnsTheUpstreamPort() throws IOException {
    proxy.upsert(route);
    String token = token();
    for (String method : List.of("GET", "HEAD")) {
      String ordinary = request(method, null);
      assertTrue(ordinary.startsWith("HTTP/1.1 200"), ordinary);
      assertFalse(hasPortHeader(ordinary), () -> method + " answer leaks the port: " + ordinary);
      assertFalse(hasPortHeader(request(method, "0123456789abcdef0123456789abcdef")),
          "a wrong token gets no port");
      assertTrue(request(method, token).toLowerCase(Locale.ROOT)
          .contains(SrvRouteJson.UPSTREAM_PORT_HEADER.toLowerCase(Locale.ROOT) + ": " + blue.port()));
    }
    assertEquals(0, slots.probeHeadersSeenByApp.get(), "the probe header is not forwarded to the app");
  }

  @Test
  void switchesAreStillConfirmedAndTheTokenStaysTheSame() throws IOException {
    proxy.upsert(route);
    String token = token();
    for (Upstream to : List.of(green, blue, green)) {
      proxy.switchUpstream(route.id(), to);
      proxy.awaitUpstream(route.id(), to, Duration.ofSeconds(10));
      String answer = request("GET", null);
      assertTrue(answer.endsWith((to.equals(blue) ? "blue" : "green") + "\n"), answer);
      assertFalse(hasPortHeader(answer), answer);
    }
    proxy.upsert(route.withUpstream(green)); // a rewrite keeps the token
    assertEquals(token, token());
  }

  @Test
  void aRouteFromBeforeTokensGetsOneOnItsNextSwitch() throws IOException {
    proxy.upsert(route);
    // The form CodeB wrote before: the port header on every response, no map handler.
    ObjectNode old = (ObjectNode) admin.get("/id/" + CaddyJson.routeId(route.id())).body();
    ArrayNode handle = old.withArray("handle");
    assertEquals("map", handle.get(0).path("handler").asText());
    handle.remove(0);
    ((ObjectNode) handle.get(0)).putObject("headers").putObject("response").putObject("set")
        .putArray(SrvRouteJson.UPSTREAM_PORT_HEADER).add("{http.reverse_proxy.upstream.port}");
    admin.change("PATCH", "/id/" + CaddyJson.routeId(route.id()), old, null);
    assertTrue(hasPortHeader(request("GET", null)), "the old form leaked the port");
    assertEquals(Optional.empty(), SrvRouteJson.probeToken(admin.get("/id/" + CaddyJson.routeId(route.id())).body()));

    proxy.switchUpstream(route.id(), green);
    proxy.awaitUpstream(route.id(), green, Duration.ofSeconds(10));
    String answer = request("GET", null);
    assertTrue(answer.endsWith("green\n"), answer);
    assertFalse(hasPortHeader(answer), answer);
    assertNotEquals("", token());
  }

  private String token() {
    return SrvRouteJson.probeToken(admin.get("/id/" + CaddyJson.routeId(route.id())).body())
        .orElseThrow(() -> new AssertionError("route " + route.id() + " has no probe token"));
  }

  private static boolean hasPortHeader(String response) {
    String head = response.split("\r\n\r\n", 2)[0].toLowerCase(Locale.ROOT);
    return head.contains(SrvRouteJson.UPSTREAM_PORT_HEADER.toLowerCase(Locale.ROOT));
  }

  /** The whole response (head and body) to one request on a new connection. */
  private String request(String method, String token) throws IOException {
    try (Socket s = new Socket()) {
      s.setSoTimeout(5_000);
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
      s.getOutputStream().write((method + " / HTTP/1.1\r\nHost: " + route.hosts().get(0) + "\r\n"
          + (token == null ? "" : SrvRouteJson.PROBE_HEADER + ": " + token + "\r\n")
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
