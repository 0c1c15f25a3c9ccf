package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code we firewall list|allow|revoke}: mem: for the happy path, a counting HTTP server for bad input. */
class FirewallCommandsTest {
  private static final String KEY = "cli-test-key-8a7b6c5d";
  HttpServer vultr;
  final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void countingServer() throws Exception {
    vultr = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    vultr.createContext("/", exchange -> {
      requests.incrementAndGet();
      byte[] body = "{\"error\":\"Invalid API token.\",\"status\":401}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(401, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    vultr.start();
  }

  @AfterEach
  void stop() {
    vultr.stop(0);
  }

  private Map<String, String> vultrEnv() {
    return Map.of("CODEB_FIREWALL", "vultr+http://127.0.0.1:" + vultr.getAddress().getPort(),
        "CODEB_VULTR_API_KEY", KEY);
  }

  private static String[] args(String... a) {
    return a;
  }

  @Test
  void allowListRevokeAsJson() {
    String fw = "mem:cli-fw-json?groups=storage";
    JsonNode allowed = WeRunner.run("--firewall", fw, "firewall", "allow", "--group", "storage",
        "--port", "5432", "--from", "10.1.2.3/32", "--note", "pg", "--json").expect(0).json();
    assertEquals("storage", allowed.get("group").asText());
    assertTrue(allowed.get("changed").asBoolean());
    JsonNode rule = allowed.get("rule");
    assertEquals("tcp", rule.get("protocol").asText());
    assertEquals("5432", rule.get("port").asText());
    assertEquals("10.1.2.3", rule.get("subnet").asText());
    assertEquals(32, rule.get("prefix").asInt());
    assertEquals("pg", rule.get("note").asText());
    assertFalse(WeRunner.run("--firewall", fw, "firewall", "allow", "--group", "storage",
        "--port", "5432", "--from", "10.1.2.3", "--json").expect(0).json().get("changed")
        .asBoolean());
    WeRunner.run("--firewall", fw, "firewall", "allow", "--group", "storage", "--port",
        "8000-8999", "--proto", "udp", "--from", "fd00::/64").expect(0);
    JsonNode list = WeRunner.run("--firewall", fw, "firewall", "list", "--group", "storage",
        "--json").expect(0).json();
    assertEquals(2, list.get("rules").size(), list.toString());
    assertEquals("8000:8999", list.get("rules").get(1).get("port").asText());
    assertEquals("fd00::", list.get("rules").get(1).get("subnet").asText());
    JsonNode revoked = WeRunner.run(Map.of("CODEB_FIREWALL", fw), "firewall", "revoke",
        "--group", "storage", "--port", "5432", "--from", "10.1.2.3/32", "--json").expect(0).json();
    assertTrue(revoked.get("changed").asBoolean());
    assertFalse(WeRunner.run(Map.of("CODEB_FIREWALL", fw), "firewall", "revoke", "--group",
        "storage", "--port", "5432", "--from", "10.1.2.3/32", "--json").expect(0).json()
        .get("changed").asBoolean());
  }

  @Test
  void textOutputAndIcmp() {
    String fw = "mem:cli-fw-text?groups=web";
    WeRunner.Result r = WeRunner.run("--firewall", fw, "firewall", "allow", "--group", "web",
        "--proto", "icmp", "--from", "0.0.0.0/0").expect(0);
    assertTrue(r.out().contains("allowed: icmp from 0.0.0.0/0"), r.out());
    WeRunner.Result list = WeRunner.run("--firewall", fw, "firewall", "list", "--group", "web")
        .expect(0);
    assertTrue(list.out().contains("icmp") && list.out().contains("0.0.0.0/0"), list.out());
    JsonNode json = WeRunner.run("--firewall", fw, "firewall", "list", "--group", "web", "--json")
        .expect(0).json();
    assertTrue(json.get("rules").get(0).get("port").isNull());
  }

  @Test
  void unknownGroupIsNotFound() {
    WeRunner.Result r = WeRunner.run("--firewall", "mem:cli-fw-unknown", "firewall", "list",
        "--group", "nope", "--json").expect(1);
    assertEquals("not-found", r.errorJson().get("error").get("kind").asText());
  }

  @Test
  void vultrIsReachedAndTheKeyIsNeverPrinted() {
    WeRunner.Result r = WeRunner.run(vultrEnv(), "firewall", "list", "--group", "storage",
        "--json").expect(1);
    assertEquals("auth", r.errorJson().get("error").get("kind").asText());
    assertTrue(requests.get() > 0);
    assertFalse(r.out().contains(KEY) || r.err().contains(KEY), r.err());
  }

  @Test
  void aMissingApiKeyNamesTheVariables() {
    WeRunner.Result r = WeRunner.run(Map.of("CODEB_FIREWALL", "vultr://"), "firewall", "list",
        "--group", "storage").expect(1);
    assertTrue(r.err().contains("CODEB_VULTR_API_KEY") && r.err().contains("VULTR_API_KEY"),
        r.err());
  }

  @Test
  void noProviderIsBadInput() {
    WeRunner.Result r = WeRunner.run("firewall", "list", "--group", "g").expect(2);
    assertTrue(r.err().contains("--firewall"), r.err());
  }

  static Stream<Arguments> badInput() {
    return Stream.of(
        Arguments.of(args("--port", "9000:8000", "--from", "10.1.2.3/32"), "backwards"),
        Arguments.of(args("--port", "0", "--from", "10.1.2.3/32"), "1-65535"),
        Arguments.of(args("--port", "70000", "--from", "10.1.2.3/32"), "1-65535"),
        Arguments.of(args("--port", "80", "--from", "10.1.2.3/33"), "/0-/32"),
        Arguments.of(args("--port", "80", "--from", "fd00::/129"), "/0-/128"),
        Arguments.of(args("--port", "80", "--from", "10.1.2.999"), "not an IP address"),
        Arguments.of(args("--port", "80", "--from", "db.internal"), "not an IP address"),
        Arguments.of(args("--port", "80", "--from", "10.1.2.3/24"), "10.1.2.0/24"),
        Arguments.of(args("--port", "80", "--proto", "sctp", "--from", "10.1.2.3"), "unknown protocol"),
        Arguments.of(args("--port", "80", "--proto", "icmp", "--from", "10.1.2.3"), "icmp has no ports"),
        Arguments.of(args("--from", "10.1.2.3"), "need a port"));
  }

  @ParameterizedTest
  @MethodSource("badInput")
  void badInputExits2AndSendsNothing(String[] ruleArgs, String words) {
    for (String verb : List.of("allow", "revoke")) {
      List<String> all = new ArrayList<>(List.of("firewall", verb, "--group", "storage"));
      all.addAll(List.of(ruleArgs));
      all.add("--json");
      WeRunner.Result r = WeRunner.run(vultrEnv(), all.toArray(String[]::new)).expect(2);
      JsonNode error = r.errorJson().get("error");
      assertEquals("invalid-request", error.get("kind").asText());
      assertTrue(error.get("message").asText().contains(words), error.toString());
    }
    assertEquals(0, requests.get(), "no request reached the firewall API");
  }

  @Test
  void anEmptyGroupExits2AndSendsNothing() {
    WeRunner.run(vultrEnv(), "firewall", "allow", "--group", "", "--port", "80", "--from",
        "10.0.0.1").expect(2);
    WeRunner.run(vultrEnv(), "firewall", "list", "--group", " ").expect(2);
    assertEquals(0, requests.get());
  }
}
