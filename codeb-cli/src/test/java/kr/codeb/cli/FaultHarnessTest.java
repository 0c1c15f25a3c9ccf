package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.Test;

/**
 * The fault-injection harness itself, against the real engines: each fault really breaks its
 * system (refused, hanging, 5xx, 429) and each restore really brings it back with its state
 * (PowerDNS's zones and key, Caddy's config, PostgreSQL's tables, the stand-in's rules).
 */
class FaultHarnessTest {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  static int port(String variable) {
    return Integer.parseInt(TestEngines.require(variable).strip());
  }

  static boolean refused(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 2000);
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      throw new AssertionError("neither refused nor accepted: " + e, e);
    }
  }

  /** Connects and reads the SSH banner; "timeout" when nothing comes within a second. */
  static String banner(String host, int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 2000);
      s.setSoTimeout(1000);
      return new String(s.getInputStream().readNBytes(4), java.nio.charset.StandardCharsets.US_ASCII);
    } catch (SocketTimeoutException e) {
      return "timeout";
    }
  }

  static void sshTrue(String host, int port) {
    TestEnvDaemons.run(List.of("ssh", "-n", "-F", "none", "-o", "BatchMode=yes", "-o",
        "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=5", "-o", "UserKnownHostsFile="
            + TestEngines.require("CODEB_TEST_SSH_KNOWN_HOSTS"), "-o", "IdentitiesOnly=yes",
        "-i", TestEngines.require("CODEB_TEST_SSH_KEY"), "-p", Integer.toString(port),
        TestEngines.require("CODEB_TEST_SSH_USER") + "@" + host, "true"));
  }

  static HttpResponse<String> pdns(String base, String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base.strip() + path))
        .timeout(Duration.ofSeconds(2))
        .header("X-API-Key", TestEngines.require("CODEB_TEST_PDNS_API_KEY").strip())
        .header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void sshdStoppedIsRefusedFrozenHangsAndBothComeBack() throws Exception {
    int port = port("CODEB_TEST_SSH_PORT_C");
    sshTrue("127.0.0.13", port);
    try (TestEnvDaemons.Fault stopped = TestEnvDaemons.stop("sshd-c")) {
      assertTrue(refused("127.0.0.13", port), stopped.describe());
      stopped.restore();
      sshTrue("127.0.0.13", port);
    }
    try (TestEnvDaemons.Fault frozen = TestEnvDaemons.freeze("sshd-c")) {
      assertEquals("timeout", banner("127.0.0.13", port), frozen.describe());
      frozen.restore();
      assertEquals("SSH-", banner("127.0.0.13", port));
    }
    sshTrue("127.0.0.13", port);
  }

  @Test
  void powerDnsComesBackWithItsKeyAndZones() throws Exception {
    String api = TestEngines.require("CODEB_TEST_PDNS_API");
    String zone = "fault" + UUID.randomUUID().toString().substring(0, 8) + ".test.";
    assertEquals(201, pdns(api, "POST", "/api/v1/servers/localhost/zones", "{\"name\":\"" + zone
        + "\",\"kind\":\"Native\",\"nameservers\":[]}").statusCode());
    try {
      try (TestEnvDaemons.Fault stopped = TestEnvDaemons.stop("pdns")) {
        assertThrows(ConnectException.class, () -> pdns(api, "GET",
            "/api/v1/servers/localhost/zones/" + zone, null), stopped.describe());
      }
      assertEquals(200, pdns(api, "GET", "/api/v1/servers/localhost/zones/" + zone, null)
          .statusCode());
      try (TestEnvDaemons.Fault frozen = TestEnvDaemons.freeze("pdns")) {
        assertThrows(HttpTimeoutException.class, () -> pdns(api, "GET",
            "/api/v1/servers/localhost/zones/" + zone, null), frozen.describe());
      }
      assertEquals(200, pdns(api, "GET", "/api/v1/servers/localhost/zones/" + zone, null)
          .statusCode());
    } finally {
      pdns(api, "DELETE", "/api/v1/servers/localhost/zones/" + zone, null);
    }
  }

  @Test
  void caddyComesBackWithTheConfigItHad() throws Exception {
    String admin = TestEngines.require("CODEB_TEST_CADDY_ADMIN").strip();
    String marker = "fault-" + UUID.randomUUID().toString().substring(0, 8);
    String before = HTTP.send(HttpRequest.newBuilder(URI.create(admin + "/config/")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    JsonNode config = WeRunner.MAPPER.readTree(before.isBlank() || before.strip().equals("null")
        ? "{}" : before);
    ((com.fasterxml.jackson.databind.node.ObjectNode) config).putObject("apps")
        .putObject("http").putObject("servers").putObject(marker)
        .putArray("listen").add("127.0.0.1:" + TestEngines.require("CODEB_TEST_CADDY_HTTP_PORT").strip());
    assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create(admin + "/load"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(config.toString())).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode());
    try {
      try (TestEnvDaemons.Fault stopped = TestEnvDaemons.stop("caddy")) {
        assertTrue(refused("127.0.0.1", URI.create(admin).getPort()), stopped.describe());
      }
      String after = HTTP.send(HttpRequest.newBuilder(URI.create(admin + "/config/")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertTrue(after.contains(marker), after);
    } finally {
      HTTP.send(HttpRequest.newBuilder(URI.create(admin + "/load"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(before.isBlank() || before.strip().equals("null")
              ? "{}" : before)).build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  @Test
  void storageDockerStopsAndComesBack() {
    String socket = TestEngines.require("CODEB_TEST_STORAGE_DOCKER_HOST").strip()
        .replaceFirst("^unix://", "");
    List<String> ping = List.of("curl", "-fs", "--max-time", "3", "--unix-socket", socket,
        "http://d/_ping");
    assertEquals("OK", TestEnvDaemons.run(ping).strip());
    try (TestEnvDaemons.Fault stopped = TestEnvDaemons.stop("docker-storage")) {
      assertThrows(IllegalStateException.class, () -> TestEnvDaemons.run(ping), stopped.describe());
    }
    assertEquals("OK", TestEnvDaemons.run(ping).strip());
    // it came back in its own network namespace, not the test's
    assertNotEquals(TestEnvDaemons.run(List.of("readlink", "/proc/self/ns/net")).strip(),
        TestEnvDaemons.run(List.of("readlink", "/proc/" + TestEnvDaemons.pid("docker-storage")
            + "/ns/net")).strip());
  }

  @Test
  void postgresqlComesBackWithItsTables() throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + port("CODEB_TEST_POSTGRESQL_PORT") + "/"
        + TestEngines.require("CODEB_TEST_POSTGRESQL_DATABASE").strip();
    String user = TestEngines.require("CODEB_TEST_POSTGRESQL_USER").strip();
    String password = TestEngines.require("CODEB_TEST_POSTGRESQL_PASSWORD").strip();
    String table = "fault_" + UUID.randomUUID().toString().substring(0, 8);
    try (Connection c = DriverManager.getConnection(url, user, password)) {
      c.createStatement().execute("create table " + table + " (x int)");
    }
    try (TestEnvDaemons.Fault stopped = TestEnvDaemons.stop("postgresql")) {
      assertThrows(SQLException.class, () -> DriverManager.getConnection(url, user, password),
          stopped.describe());
    }
    try (Connection c = DriverManager.getConnection(url, user, password)) {
      c.createStatement().execute("drop table " + table);
    }
  }

  @Test
  void proxyPassesStallsAnswersErrorsAndResets() throws Exception {
    URI api = URI.create(TestEngines.require("CODEB_TEST_PDNS_API").strip());
    try (FaultProxy proxy = new FaultProxy(api.getHost(), api.getPort())) {
      String path = "/api/v1/servers/localhost";
      assertEquals(200, pdns(proxy.url(), "GET", path, null).statusCode());
      proxy.mode(FaultProxy.Mode.HTTP_503);
      assertEquals(503, pdns(proxy.url(), "GET", path, null).statusCode());
      proxy.mode(FaultProxy.Mode.HTTP_429);
      HttpResponse<String> limited = pdns(proxy.url(), "GET", path, null);
      assertEquals(429, limited.statusCode());
      assertEquals("1", limited.headers().firstValue("Retry-After").orElse(""));
      proxy.mode(FaultProxy.Mode.STALL);
      assertThrows(HttpTimeoutException.class, () -> pdns(proxy.url(), "GET", path, null));
      proxy.mode(FaultProxy.Mode.STALL_WRITES);
      assertEquals(200, pdns(proxy.url(), "GET", path, null).statusCode());
      assertThrows(HttpTimeoutException.class, () -> pdns(proxy.url(), "POST",
          path + "/zones", "{\"name\":\"never.test.\",\"kind\":\"Native\",\"nameservers\":[]}"));
      proxy.mode(FaultProxy.Mode.RESET);
      assertThrows(IOException.class, () -> pdns(proxy.url(), "GET", path, null));
      proxy.mode(FaultProxy.Mode.PASS);
      assertEquals(200, pdns(proxy.url(), "GET", path, null).statusCode());
    }
  }

  @Test
  void vultrStandInKeepsRulesAcrossFaultsAndAStop() throws Exception {
    try (VultrStandIn vultr = new VultrStandIn()) {
      String group = vultr.createGroup("storage");
      Map<String, String> env = Map.of("CODEB_FIREWALL", vultr.uri() + "?attempts=2",
          "CODEB_VULTR_API_KEY", VultrStandIn.KEY);
      String[] allow = {"firewall", "allow", "--group", "storage", "--port", "6001", "--from",
          "127.0.0.11/32", "--json"};
      assertTrue(WeRunner.run(env, allow).expect(0).json().get("changed").asBoolean());
      assertFalse(WeRunner.run(env, allow).expect(0).json().get("changed").asBoolean());
      vultr.fault(VultrStandIn.Fault.HTTP_503);
      assertEquals("unavailable", WeRunner.run(env, allow).expect(1).errorJson().get("error")
          .get("kind").asText());
      vultr.fault(VultrStandIn.Fault.HTTP_429);
      assertEquals("rate-limited", WeRunner.run(env, allow).expect(1).errorJson().get("error")
          .get("kind").asText());
      vultr.fault(VultrStandIn.Fault.NONE);
      vultr.stop();
      assertTrue(refused("127.0.0.1", vultr.port()));
      vultr.restart();
      assertEquals(List.of("tcp 6001 127.0.0.11/32"), vultr.rules(group));

      // SIGKILL of a separate `we` while its request hangs, then a re-run converges
      vultr.fault(VultrStandIn.Fault.STALL);
      int before = vultr.requests();
      try (WeProcess we = WeProcess.start(env, List.of("firewall", "allow", "--group", "storage",
          "--port", "6002", "--from", "127.0.0.11/32", "--json"))) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (vultr.requests() == before && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertTrue(vultr.requests() > before, "the stalled request never arrived: " + we.err());
        we.kill9();
        assertEquals(137, we.waitFor(Duration.ofSeconds(10)));
      }
      vultr.fault(VultrStandIn.Fault.NONE);
      assertTrue(WeRunner.run(env, "firewall", "allow", "--group", "storage", "--port", "6002",
          "--from", "127.0.0.11/32", "--json").expect(0).json().get("changed").asBoolean());
      assertEquals(List.of("tcp 6001 127.0.0.11/32", "tcp 6002 127.0.0.11/32"),
          vultr.rules(group));
    }
  }

  @Test
  void weProcessSeesProgressLinesAndItsExitCode() {
    try (WeProcess we = WeProcess.start(Map.of(), List.of("--version"))) {
      assertTrue(we.awaitLine(Pattern.compile("\\d+\\.\\d+"), Duration.ofSeconds(60)), we.err());
      assertEquals(0, we.waitFor(Duration.ofSeconds(30)));
    }
  }
}
