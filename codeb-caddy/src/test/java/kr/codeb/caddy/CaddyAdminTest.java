package kr.codeb.caddy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.UnavailableException;
import kr.codeb.caddy.internal.AdminClient;
import kr.codeb.caddy.internal.CaddyJson;
import kr.codeb.model.IpAddress;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;
import kr.codeb.tck.TestEngines;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the contract cannot see: CodeB leaves the rest of Caddy's config alone, the ETag guard
 * loses no update, and Caddy's failures arrive as CodeB's exceptions. Each test uses a server of
 * its own ({@code codeb-t-<random>} on a free port), removed afterwards.
 */
class CaddyAdminTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType TYPE = MediaType.get("application/json");
  private static final Upstream DEAD = new Upstream(IpAddress.of("127.0.0.1"), 9);

  private final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(30)).build();
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final List<String> serversToDelete = new ArrayList<>();
  private String admin;
  private CaddyConfig config;
  private int port;

  @BeforeEach
  void setUp() {
    admin = TestEngines.require("CODEB_TEST_CADDY_ADMIN");
    port = freePort();
    config = CaddyConfig.of(URI.create(admin)).withServer("codeb-t-" + run)
        .withListen(List.of("127.0.0.1:" + port)).withAutomaticHttps(false);
    serversToDelete.add(config.server());
  }

  @AfterEach
  void tearDown() {
    for (String server : serversToDelete) {
      call("DELETE", "/config/apps/http/servers/" + server, null);
    }
    http.connectionPool().evictAll();
  }

  @Test
  void foreignPartsOfTheConfigStayByteIdentical() {
    // A foreign server, and CodeB's server made by hand with a foreign route and no catch-all.
    String foreign = "foreign-" + run;
    serversToDelete.add(foreign);
    ensureServers();
    int foreignPort = freePort();
    assertEquals(200, call("POST", "/config/apps/http/servers/" + foreign,
        "{\"listen\":[\"127.0.0.1:" + foreignPort + "\"],\"automatic_https\":{\"disable\":true},"
        + "\"routes\":[{\"@id\":\"foreign-route-a-" + run + "\",\"handle\":[{\"handler\":"
        + "\"static_response\",\"body\":\"theirs\"}]}]}").status);
    String foreignHost = "foreign-" + run + ".example";
    assertEquals(200, call("POST", "/config/apps/http/servers/" + config.server(),
        "{\"listen\":[\"127.0.0.1:" + port + "\"],\"automatic_https\":{\"disable\":true},"
        + "\"routes\":[{\"@id\":\"foreign-route-b-" + run + "\",\"match\":[{\"host\":[\""
        + foreignHost + "\"]}],\"handle\":[{\"handler\":\"static_response\",\"body\":\"mine\","
        + "\"status_code\":203}],\"terminal\":true}]}").status);
    byte[] foreignServer = call("GET", "/config/apps/http/servers/" + foreign, null).body;
    byte[] foreignRoute = call("GET", "/id/foreign-route-b-" + run, null).body;
    byte[] adminPart = call("GET", "/config/admin", null).body;

    try (CaddyProxy proxy = CaddyProxy.create(config)) {
      Route a = new Route("a-" + run, List.of("a-" + run + ".example"), DEAD);
      Route b = new Route("b-" + run, List.of("b-" + run + ".example"), DEAD);
      proxy.upsert(a);
      proxy.upsert(b);
      proxy.upsert(a.withHosts(List.of("a2-" + run + ".example")));
      proxy.switchUpstream(b.id(), new Upstream(IpAddress.of("127.0.0.1"), 10));
      assertTrue(proxy.remove(a.id()));
      ConflictException taken = assertThrows(ConflictException.class,
          () -> proxy.upsert(new Route("c-" + run, List.of(foreignHost), DEAD)));
      assertTrue(taken.getMessage().contains("does not manage"), taken.getMessage());

      assertEquals(List.of(b.withUpstream(new Upstream(IpAddress.of("127.0.0.1"), 10))), proxy.routes());
    }

    assertArrayEquals(foreignServer, call("GET", "/config/apps/http/servers/" + foreign, null).body);
    assertArrayEquals(foreignRoute, call("GET", "/id/foreign-route-b-" + run, null).body);
    assertArrayEquals(adminPart, call("GET", "/config/admin", null).body);
    JsonNode routes = tree(call("GET", "/config/apps/http/servers/" + config.server() + "/routes", null).body);
    assertEquals("foreign-route-b-" + run, routes.get(0).get("@id").asText(), routes.toString());
    assertEquals(CaddyJson.CATCH_ALL_ID, routes.get(routes.size() - 1).get("@id").asText(), "catch-all last");
    // The foreign route still answers, and an unknown host gets the catch-all's 404.
    assertEquals(203, traffic(foreignHost).status);
    Reply unknown = traffic("nobody-" + run + ".example");
    assertEquals(404, unknown.status);
  }

  @Test
  void createsItsServerNextToOthersWithTheCatchAllLast() {
    try (CaddyProxy proxy = CaddyProxy.create(config)) {
      assertEquals(List.of(), proxy.routes());
      Route a = new Route("a-" + run, List.of("a-" + run + ".example"), DEAD);
      proxy.upsert(a);
      JsonNode server = tree(call("GET", "/config/apps/http/servers/" + config.server(), null).body);
      assertEquals("127.0.0.1:" + port, server.at("/listen/0").asText());
      assertTrue(server.at("/automatic_https/disable").asBoolean());
      ArrayNode routes = (ArrayNode) server.get("routes");
      assertEquals(List.of(CaddyJson.routeId(a.id()), CaddyJson.CATCH_ALL_ID),
          List.of(routes.get(0).get("@id").asText(), routes.get(1).get("@id").asText()));
      Reply reply = traffic("unknown-" + run + ".example");
      assertEquals(404, reply.status);
      assertTrue(reply.text().contains("no route"), reply.text());
    }
  }

  @Test
  void theServersListenFollowsTheConfig() {
    ensureServers();
    int old = freePort();
    assertEquals(200, call("POST", "/config/apps/http/servers/" + config.server(),
        "{\"listen\":[\"127.0.0.1:" + old + "\"],\"automatic_https\":{\"disable\":true}}").status);
    try (CaddyProxy proxy = CaddyProxy.create(config)) {
      proxy.upsert(new Route("a-" + run, List.of("a-" + run + ".example"), DEAD));
    }
    JsonNode listen = tree(call("GET", "/config/apps/http/servers/" + config.server() + "/listen", null).body);
    assertEquals("[\"127.0.0.1:" + port + "\"]", listen.toString());
    assertEquals(404, traffic("unknown-" + run + ".example").status);
  }

  @Test
  void aStaleEtagIsRefusedAndNothingIsLost() {
    try (CaddyProxy first = CaddyProxy.create(config);
        CaddyProxy second = CaddyProxy.create(config);
        AdminClient raw = new AdminClient(URI.create(admin), Duration.ofSeconds(30))) {
      first.upsert(new Route("a-" + run, List.of("a-" + run + ".example"), DEAD));
      String path = "/config/apps/http/servers/" + config.server();

      // The ETag trailer Caddy 2.6 sends equals the one computed from the body.
      Response response = execute("GET", path, null);
      try (response) {
        byte[] body = response.body().bytes();
        String trailer = response.trailers().get("ETag");
        String header = response.header("ETag");
        assertEquals(AdminClient.etag(path, body), header != null ? header : trailer);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }

      // Read, let another editor change the server, then write with the stale ETag.
      AdminClient.Snapshot stale = raw.get(path);
      Route theirs = new Route("b-" + run, List.of("b-" + run + ".example"), DEAD);
      second.upsert(theirs);
      Route mine = new Route("c-" + run, List.of("c-" + run + ".example"), DEAD);
      assertFalse(raw.change("PUT", path + "/routes/0", CaddyJson.route(mine), stale.etag()),
          "a write with a stale ETag must be refused (412)");
      assertEquals(Optional.empty(), first.route(mine.id()));

      // Two proxies writing at once lose nothing: each retries its lost races.
      List<Route> wanted = new ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          Route route = new Route("p" + i + "-" + run, List.of("p" + i + "-" + run + ".example"), DEAD);
          wanted.add(route);
          CaddyProxy editor = i % 2 == 0 ? first : second;
          done.add(pool.submit(() -> editor.upsert(route)));
        }
        for (Future<?> f : done) {
          f.get(120, TimeUnit.SECONDS);
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      } finally {
        pool.shutdownNow();
      }
      List<Route> listed = second.routes();
      assertTrue(listed.containsAll(wanted), () -> "lost an update: " + listed);
      assertTrue(listed.contains(theirs), () -> "lost an update: " + listed);
      assertEquals(10, listed.size(), listed::toString);
    }
  }

  @Test
  void nothingListeningIsUnavailableNamingTheAddress() {
    int dead = freePort();
    String address = "http://127.0.0.1:" + dead;
    try (CaddyProxy proxy = CaddyProxy.create(CaddyConfig.of(URI.create(address)))) {
      UnavailableException e = assertThrows(UnavailableException.class, proxy::routes);
      assertTrue(e.getMessage().contains("127.0.0.1:" + dead), e.getMessage());
      assertEquals(Optional.of("caddy"), e.provider());
      assertTrue(e.isRetryable());
      assertThrows(UnavailableException.class,
          () -> proxy.upsert(new Route("x", List.of("x.example"), DEAD)));
      assertThrows(UnavailableException.class, () -> proxy.switchUpstream("x", DEAD));
    }
  }

  @Test
  void caddysRefusalsMapToCodeBExceptions() {
    try (CaddyProxy proxy = CaddyProxy.create(config);
        AdminClient raw = new AdminClient(URI.create(admin), Duration.ofSeconds(30))) {
      NotFoundException missing = assertThrows(NotFoundException.class,
          () -> proxy.switchUpstream("none-" + run, DEAD));
      assertEquals(Optional.of("caddy"), missing.provider());
      assertEquals(404, missing.httpStatus().orElse(0));

      proxy.upsert(new Route("a-" + run, List.of("a-" + run + ".example"), DEAD));
      String path = "/config/apps/http/servers/" + config.server();
      ConflictException exists = assertThrows(ConflictException.class,
          () -> raw.change("PUT", path, JSON.createObjectNode(), null));
      assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());

      byte[] before = call("GET", path, null).body;
      InvalidRequestException bad = assertThrows(InvalidRequestException.class,
          () -> raw.change("PATCH", path + "/listen", JSON.createArrayNode().add("nonsense:abc"), null));
      assertTrue(bad.getMessage().contains("nonsense:abc"), bad.getMessage());
      assertArrayEquals(before, call("GET", path, null).body, "a refused change leaves the config");
    }
  }

  // --- helpers -------------------------------------------------------------------------------

  private record Reply(int status, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private void ensureServers() {
    if (tree(call("GET", "/config/apps/http/servers", null).body).isObject()) {
      return;
    }
    if (!tree(call("GET", "/config/apps", null).body).isObject()) {
      call("POST", "/config/apps", "{\"http\":{\"servers\":{}}}");
    } else if (!tree(call("GET", "/config/apps/http", null).body).isObject()) {
      call("POST", "/config/apps/http", "{\"servers\":{}}");
    } else {
      call("POST", "/config/apps/http/servers", "{}");
    }
  }

  private Response execute(String method, String path, String body) {
    RequestBody content = body == null ? (method.equals("GET") || method.equals("DELETE") ? null
        : RequestBody.create(new byte[0], TYPE)) : RequestBody.create(body, TYPE);
    Request request = new Request.Builder().url(admin + path).method(method, content).build();
    try {
      return http.newCall(request).execute();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Reply call(String method, String path, String body) {
    try (Response response = execute(method, path, body)) {
      return new Reply(response.code(), response.body().bytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A GET through CodeB's server on a fresh connection with the given Host. */
  private Reply traffic(String host) {
    OkHttpClient fresh = http.newBuilder().connectionPool(new okhttp3.ConnectionPool()).build();
    Request request = new Request.Builder().url("http://127.0.0.1:" + port + "/")
        .header("Host", host).header("Connection", "close").build();
    try (Response response = fresh.newCall(request).execute()) {
      return new Reply(response.code(), response.body().bytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode tree(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
