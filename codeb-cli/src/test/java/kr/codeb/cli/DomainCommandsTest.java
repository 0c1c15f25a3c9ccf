package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import kr.codeb.ProviderRegistry;
import kr.codeb.dns.DnsProvider;
import kr.codeb.model.IpAddress;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code we domain} over the mem: DNS provider and proxy (shared by name in this JVM). */
class DomainCommandsTest {
  @TempDir Path dir;
  String name;
  ReverseProxy proxy;
  DnsProvider dns;
  Route route;

  @BeforeEach
  void providers() {
    name = "dom-" + UUID.randomUUID().toString().substring(0, 8);
    proxy = ProviderRegistry.load().reverseProxy("mem:" + name);
    dns = ProviderRegistry.load().dnsProvider("mem:" + name);
    route = new Route("vsvs-kr-production", List.of("old.example"),
        new Upstream(IpAddress.of("127.0.0.1"), 4101));
    proxy.upsert(route);
  }

  @AfterEach
  void close() {
    proxy.close();
    dns.close();
  }

  private String[] we(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--dns", "mem:" + name, "--proxy", "mem:" + name));
    return all.toArray(String[]::new);
  }

  @Test
  void addWithPlanShowsTheChangesAndWritesNothing() {
    WeRunner.Result plain = WeRunner.run(we("domain", "add", "api.vsvs.kr", "--project",
        "vsvs-kr", "--env", "production", "--ip", "203.0.113.8", "--plan")).expect(0);
    assertTrue(plain.out().contains("plan only, nothing written"), plain.out());
    assertTrue(plain.out().contains("api.vsvs.kr. A"), plain.out());
    JsonNode plan = WeRunner.run(we("domain", "add", "api.vsvs.kr", "--project", "vsvs-kr",
        "--env", "production", "--ip", "203.0.113.8", "--plan", "--json")).expect(0).json();
    assertTrue(plan.get("planned").asBoolean());
    assertTrue(plan.get("changed").asBoolean());
    assertEquals("created", plan.get("changes").get(0).get("action").asText());
    assertEquals(List.of(), dns.zones(), "no zone was created");
    assertEquals(List.of("old.example"), proxy.route(route.id()).orElseThrow().hosts());
  }

  @Test
  void addIsIdempotentListAndRemoveUndo() {
    Path config = WeRunner.write(dir.resolve("codeb.yaml"), String.join("\n",
        "servers:",
        "  - name: edge",
        "    roles: [edge]",
        "    public: 203.0.113.77",
        "    private: 10.0.0.2", "").getBytes(StandardCharsets.UTF_8));
    JsonNode first = WeRunner.run(we("domain", "add", "shop.vsvs.co.kr", "--project", "vsvs-kr",
        "--env", "production", "--www", "--json", "--config", config.toString())).expect(0).json();
    assertEquals("vsvs.co.kr.", first.get("zone").asText());
    assertTrue(first.get("changed").asBoolean());
    assertEquals("created", first.get("changes").get(0).get("action").asText());
    assertTrue(first.toString().contains("203.0.113.77"), first.toString());
    assertEquals(List.of("old.example", "shop.vsvs.co.kr", "www.shop.vsvs.co.kr"),
        proxy.route(route.id()).orElseThrow().hosts());

    JsonNode again = WeRunner.run(we("domain", "add", "shop.vsvs.co.kr", "--project", "vsvs-kr",
        "--env", "production", "--www", "--json", "--config", config.toString())).expect(0).json();
    assertFalse(again.get("changed").asBoolean(), again.toString());
    again.get("changes").forEach(c -> assertEquals("unchanged", c.get("action").asText()));

    JsonNode list = WeRunner.run(we("domain", "list", "--project", "vsvs-kr", "--json"))
        .expect(0).json();
    assertEquals(2, list.get("domains").size());
    assertEquals("www.shop.vsvs.co.kr", list.get("domains").get(1).get("host").asText());
    assertTrue(list.get("domains").get(0).get("routed").asBoolean());
    String text = WeRunner.run(we("domain", "list")).expect(0).out();
    assertTrue(text.contains("shop.vsvs.co.kr"), text);

    JsonNode removed = WeRunner.run(we("domain", "remove", "shop.vsvs.co.kr", "--json"))
        .expect(0).json();
    assertTrue(removed.get("changed").asBoolean());
    assertEquals(List.of("old.example"), proxy.route(route.id()).orElseThrow().hosts());
    assertEquals(0, WeRunner.run(we("domain", "list", "--json")).expect(0).json()
        .get("domains").size());
    assertFalse(WeRunner.run(we("domain", "remove", "shop.vsvs.co.kr", "--json")).expect(0)
        .json().get("changed").asBoolean());
  }

  @Test
  void unicodeIsConvertedAndSaid() {
    WeRunner.Result r = WeRunner.run(we("domain", "add", "bücher.kr", "--project", "vsvs-kr",
        "--env", "production", "--ip", "203.0.113.5"));
    r.expect(0);
    assertTrue(r.out().contains("xn--bcher-kva.kr"), r.out());
    assertTrue(r.out().contains("punycode"), r.out());
  }

  @Test
  void aMissingRouteSaysDeployFirst() {
    WeRunner.Result r = WeRunner.run(we("domain", "add", "vsvs.kr", "--project", "nobody",
        "--env", "production", "--ip", "203.0.113.5", "--json")).expect(1);
    assertEquals("not-found", r.errorJson().get("error").get("kind").asText());
    assertTrue(r.errorJson().get("error").get("message").asText().contains("deploy"), r.err());
    assertEquals(List.of(), dns.zones());
  }

  static Stream<Arguments> badInput() {
    String label64 = "a".repeat(64);
    String long254 = ("a".repeat(63) + ".").repeat(3) + "a".repeat(61) + ".kr";
    return Stream.of(
        new String[] {label64 + ".kr"},
        new String[] {long254},
        new String[] {"a..b.kr"},
        new String[] {"under_score.vsvs.kr"},
        new String[] {"-lead.vsvs.kr"},
        new String[] {"trail-.vsvs.kr"},
        new String[] {"vsvs.kr; rm -rf /"},
        new String[] {"vsvs.kr", "--ip", "999.1.1.1"},
        new String[] {"vsvs.kr", "--ip", "vsvs.kr"},
        new String[] {"vsvs.kr", "--zone", "other.kr"},
        new String[] {"co.kr"}).map(a -> Arguments.of((Object) a));
  }

  @ParameterizedTest
  @MethodSource("badInput")
  void badInputExits2AndWritesNothing(String[] args) {
    List<String> all = new ArrayList<>(List.of("domain", "add"));
    all.add(args[0]);
    all.addAll(List.of("--project", "vsvs-kr", "--env", "production", "--json"));
    all.addAll(List.of(args).subList(1, args.length));
    if (!all.contains("--ip")) {
      all.addAll(List.of("--ip", "203.0.113.5"));
    }
    WeRunner.Result r = WeRunner.run(we(all.toArray(String[]::new))).expect(2);
    assertEquals("invalid-request", r.errorJson().get("error").get("kind").asText(), r.err());
    assertEquals(List.of(), dns.zones());
    assertEquals(route, proxy.route(route.id()).orElseThrow());
  }

  @Test
  void badInputToRemoveExits2() {
    WeRunner.run(we("domain", "remove", "a..b.kr")).expect(2);
    WeRunner.run(we("domain", "remove", "vsvs.kr; rm -rf /")).expect(2);
    assertEquals(route, proxy.route(route.id()).orElseThrow());
  }

  @Test
  void noDnsProviderIsBadInput() {
    WeRunner.Result r = WeRunner.run(Map.of(), "domain", "list", "--proxy", "mem:" + name);
    r.expect(2);
    assertTrue(r.err().contains("--dns"), r.err());
  }
}
