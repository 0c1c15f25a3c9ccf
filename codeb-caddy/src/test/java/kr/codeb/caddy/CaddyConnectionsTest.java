package kr.codeb.caddy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import kr.codeb.http.MisbehavingForwarder.Mode;
import kr.codeb.http.MisbehavingForwarder;
import kr.codeb.model.IpAddress;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real Caddy admin API behind a forwarder that closes connections as servers in the field
 * do: after every answer (speaking HTTP/1.0), when idle for a second, or in the middle of an
 * answer. Every operation still succeeds and leaves exactly the expected routes.
 */
class CaddyConnectionsTest {
  private static final Upstream BLUE = new Upstream(IpAddress.of("127.0.0.1"), 9);
  private static final Upstream GREEN = new Upstream(IpAddress.of("127.0.0.1"), 10);

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private URI admin;
  private CaddyConfig config;

  @BeforeEach
  void setUp() {
    admin = URI.create(TestEngines.require("CODEB_TEST_CADDY_ADMIN"));
    config = CaddyConfig.of(admin).withServer("codeb-c-" + run)
        .withListen(List.of("127.0.0.1:" + freePort())).withAutomaticHttps(false);
  }

  @AfterEach
  void tearDown() {
    try (kr.codeb.caddy.internal.AdminClient raw = new kr.codeb.caddy.internal.AdminClient(admin,
        java.time.Duration.ofSeconds(10))) {
      raw.change("DELETE", "/config/apps/http/servers/" + config.server(), null, null);
    }
  }

  private CaddyProxy through(MisbehavingForwarder f) {
    return CaddyProxy.create(new CaddyConfig(f.uri(), config.listen(), config.server(), false,
        config.timeout()));
  }

  private Route route(String id) {
    return new Route(id + "-" + run, List.of(id + "-" + run + ".example"), BLUE);
  }

  private void assertRoutes(List<Route> expected) {
    try (CaddyProxy direct = CaddyProxy.create(config)) {
      assertEquals(expected, direct.routes());
    }
  }

  @Test
  void anAdminApiClosingAfterEveryAnswer() throws Exception {
    Route a = route("a");
    Route b = route("b");
    try (MisbehavingForwarder f = new MisbehavingForwarder(admin, Mode.HTTP10_CLOSE);
        CaddyProxy proxy = through(f)) {
      proxy.upsert(a);
      proxy.upsert(b);
      proxy.switchUpstream(a.id(), GREEN);
      assertTrue(proxy.remove(b.id()));
      assertTrue(f.connections() > 5, "a connection per request: " + f.connections());
    }
    assertRoutes(List.of(a.withUpstream(GREEN)));
  }

  @Test
  void anAdminApiClosingIdleConnectionsAfterASecond() throws Exception {
    Route a = route("a");
    try (MisbehavingForwarder f = new MisbehavingForwarder(admin, Mode.IDLE_CLOSE);
        CaddyProxy proxy = through(f)) {
      proxy.upsert(a);
      Thread.sleep(2 * MisbehavingForwarder.IDLE_MILLIS);
      proxy.switchUpstream(a.id(), GREEN);
      Thread.sleep(2 * MisbehavingForwarder.IDLE_MILLIS);
      assertEquals(List.of(a.withUpstream(GREEN)), proxy.routes());
      assertTrue(f.connections() >= 3, "idle connections were closed: " + f.connections());
    }
    assertRoutes(List.of(a.withUpstream(GREEN)));
  }

  @Test
  void aResetInTheMiddleOfAnAnswer() throws Exception {
    Route a = route("a");
    try (MisbehavingForwarder f = new MisbehavingForwarder(admin, Mode.IDLE_CLOSE);
        CaddyProxy proxy = through(f)) {
      f.resetNext("GET", 1);
      proxy.upsert(a);
      f.resetNext("PATCH", 1);
      proxy.switchUpstream(a.id(), GREEN);
      assertEquals(2, f.requests().stream().filter(r -> r.startsWith("PATCH")).count(),
          "the reset PATCH was sent again: " + f.requests());
      f.resetNext("PUT", 1);
      Route b = route("b");
      proxy.upsert(b);
      assertEquals(List.of(a.withUpstream(GREEN), b), proxy.routes());
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
