package kr.codeb.cli;

import static kr.codeb.cli.DoctorCaddyAdmin.freePort;
import static kr.codeb.cli.DoctorCaddyAdmin.kinds;
import static kr.codeb.cli.DoctorCaddyAdmin.upstreamOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import kr.codeb.ProviderRegistry;
import kr.codeb.Secret;
import kr.codeb.caddy.CaddyConfig;
import kr.codeb.caddy.CaddyProxy;
import kr.codeb.dns.RecordSet;
import kr.codeb.dns.RecordType;
import kr.codeb.doctor.DriftKind;
import kr.codeb.firewall.FirewallProvider;
import kr.codeb.firewall.FirewallRule;
import kr.codeb.firewall.FirewallRules;
import kr.codeb.model.DnsName;
import kr.codeb.model.IpAddress;
import kr.codeb.powerdns.PowerDnsConfig;
import kr.codeb.powerdns.PowerDnsProvider;
import kr.codeb.proxy.ProxySetting;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.runtime.ContainerSpec;
import kr.codeb.runtime.PortBinding;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code we doctor} against the real Docker engine, Caddy and PowerDNS (the firewall is the
 * {@code mem:} one): every kind of drift is seeded by hand into a fleet deployed by {@code we
 * deploy} — a stopped container, a foreign labelled one, one squatting another project's port,
 * routes patched through Caddy's admin API, a route of no project, Caddy's automatic_https
 * changed, a record deleted and one pointing elsewhere, a storage port without its rule and a
 * CodeB rule for nothing, an SSOT record rewritten — then {@code we doctor} finds each,
 * {@code --fix --yes} repairs each, and the run after reports nothing.
 */
class DoctorRealEnginesTest {
  static final String ENV = "production";
  static final String EDGE = "203.0.113.77";
  static final String APP_PRIVATE = "10.0.0.2";

  @TempDir Path dir;
  String run;
  String dockerUri;
  String image;
  String pdnsApi;
  String pdnsKey;
  int caddyPort;
  String server;
  String proxyUri;
  String firewallUri;
  String group;
  DnsName zone;
  Path ssot;
  Path config;
  String a;
  String b;
  String c;
  String ghost;
  ProviderRegistry providers;
  final List<String> extraContainers = new ArrayList<>();
  DoctorCaddyAdmin caddy;

  @BeforeEach
  void setUp() throws IOException {
    String host = TestEngines.require("CODEB_TEST_DOCKER_HOST").strip();
    dockerUri = host.startsWith("docker") ? host : "docker+" + host;
    image = TestEngines.require("CODEB_TEST_EXAMPLE_IMAGE").strip();
    caddy = new DoctorCaddyAdmin(TestEngines.require("CODEB_TEST_CADDY_ADMIN"));
    pdnsApi = TestEngines.require("CODEB_TEST_PDNS_API").strip();
    pdnsKey = TestEngines.require("CODEB_TEST_PDNS_API_KEY").strip();
    providers = ProviderRegistry.load(env()::get);
    run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    a = "dra" + run;
    b = "drb" + run;
    c = "drc" + run;
    ghost = "drg" + run;
    server = "doc" + run;
    caddyPort = freePort();
    String authority = caddy.authority();
    proxyUri = "caddy+http://" + authority + "?listen=127.0.0.1:" + caddyPort + "&server="
        + server + "&auto_https=off";
    group = "fw" + run;
    firewallUri = "mem:doc" + run + "?groups=" + group;
    zone = DnsName.of("codeb" + run + ".kr");
    int start = RealDeployHarness.freeBlockFrom(47300);
    ssot = WeRunner.write(dir.resolve("ssot.json"), ("{\"version\":\"7.0.0\",\"portRanges\":{\""
        + ENV + "\":{\"start\":" + start + ",\"end\":" + (start + 99) + "}},\"projects\":{},"
        + "\"ports\":{\"allocated\":{}}}\n").getBytes(StandardCharsets.UTF_8));
    config = WeRunner.write(dir.resolve("codeb.yaml"), String.join("\n",
        "ssot: " + ssot,
        "providers:",
        "  firewall: '" + firewallUri + "'",
        "servers:",
        "  - name: app1",
        "    roles: [app, edge]",
        "    public: " + EDGE,
        "    private: " + APP_PRIVATE,
        "    publish: 127.0.0.1",
        "    engines:",
        "      runtime: '" + dockerUri + "'",
        "      proxy: '" + proxyUri + "'",
        "      dns: 'powerdns+" + pdnsApi + "?server=localhost'",
        "  - name: db1",
        "    roles: [storage]",
        "    public: 203.0.113.78",
        "    private: 10.0.0.3",
        "    firewallGroup: " + group,
        "    engines:",
        "      runtime: '" + dockerUri + "'",
        "").getBytes(StandardCharsets.UTF_8));
  }

  Map<String, String> env() {
    return Map.of("CODEB_POWERDNS_API_KEY", pdnsKey);
  }

  @AfterEach
  void tearDown() {
    try (ContainerRuntime docker = providers.containerRuntime(dockerUri)) {
      for (String p : List.of(a, b, c, ghost)) {
        docker.list(Map.of("codeb.project", p)).forEach(i -> docker.remove(i.id()));
      }
      extraContainers.forEach(n -> docker.remove(new ContainerId(n)));
    } catch (RuntimeException e) {
      System.err.println("cleanup of containers failed: " + e);
    }
    try {
      caddy.send("DELETE", "/config/apps/http/servers/" + server, null);
    } catch (IOException | RuntimeException e) {
      System.err.println("cleanup of the Caddy server failed: " + e);
    }
    try (PowerDnsProvider dns = pdns()) {
      dns.deleteZone(zone);
    } catch (RuntimeException e) {
      System.err.println("cleanup of the zone failed: " + e);
    }
  }

  PowerDnsProvider pdns() {
    return PowerDnsProvider.create(PowerDnsConfig.of(URI.create(pdnsApi), Secret.of(pdnsKey)));
  }

  WeRunner.Result we(String... args) {
    List<String> all = new ArrayList<>(List.of("--config", config.toString()));
    all.addAll(List.of(args));
    return WeRunner.run(env(), all.toArray(String[]::new));
  }

  void deploy(String project) {
    we("deploy", project, "--env", ENV, "--image", image + ":v1", "--drain", "200ms",
        "--health-timeout", "20s", "--health-interval", "100ms", "--keep-images", "10",
        "--json").expect(0);
  }

  @Test
  void findsEverySeededDriftFixesEachAndTheNextRunIsClean() throws Exception {
    deploy(a);
    deploy(b);
    deploy(c);
    // The shared engine may run containers of the test environment with published ports,
    // which db1 (on the same engine here) counts as storage ports, or leftovers of other
    // tests: the baseline fixes them. Nothing of the fresh deploys drifted.
    JsonNode baseline = we("doctor", "--json").json();
    for (JsonNode d : baseline.get("drifts")) {
      String text = d.toString();
      assertFalse(text.contains(a) || text.contains(b) || text.contains(c),
          "a fresh deploy has no drift: " + d);
    }
    we("doctor", "--fix", "--yes");
    we("doctor").expect(0);
    JsonNode ports = WeRunner.MAPPER.readTree(ssot.toFile()).get("projects");
    int aBlue = ports.get(a).get("ports").get(ENV).get("blue").asInt();
    int aGreen = ports.get(a).get("ports").get(ENV).get("green").asInt();
    int bBlue = ports.get(b).get("ports").get(ENV).get("blue").asInt();
    int bGreen = ports.get(b).get("ports").get(ENV).get("green").asInt();
    int cBlue = ports.get(c).get("ports").get(ENV).get("blue").asInt();
    Set<DriftKind> seeded = EnumSet.noneOf(DriftKind.class);
    int storePort = freePort();

    // The SSOT: A's green record says it belongs to someone else.
    ObjectNode doc = (ObjectNode) WeRunner.MAPPER.readTree(ssot.toFile());
    ((ObjectNode) doc.get("ports").get("allocated").get(String.valueOf(aGreen)))
        .put("project", "someone-else");
    Files.writeString(ssot, WeRunner.MAPPER.writeValueAsString(doc));
    seeded.add(DriftKind.SSOT_FINDING);

    try (ContainerRuntime docker = providers.containerRuntime(dockerUri)) {
      // A's live container stopped by hand.
      docker.stop(new ContainerId(a + "-" + ENV + "-blue"), Duration.ofSeconds(5));
      seeded.add(DriftKind.CONTAINER_MISSING);
      // A container labelled for a project the SSOT does not know.
      run(docker, ghost + "-" + ENV + "-blue", Map.of("codeb.project", ghost, "codeb.env", ENV,
          "codeb.slot", "blue"), List.of());
      seeded.add(DriftKind.CONTAINER_UNOWNED);
      // C's container squatting A's idle green port.
      run(docker, "squat" + run, Map.of("codeb.project", c, "codeb.env", ENV, "codeb.slot",
          "green"), List.of(new PortBinding(IpAddress.of("127.0.0.1"), aGreen, 8080)));
      seeded.add(DriftKind.PORT_TAKEN);
      // A storage container on db1 whose port no rule opens.
      run(docker, "store" + run, Map.of(), List.of(new PortBinding(IpAddress.of("127.0.0.1"),
          storePort, 8080)));
      seeded.add(DriftKind.FIREWALL_RULE_MISSING);
    }
    // Routes patched by hand: B to its idle green port, C to a port nothing publishes.
    caddy.patchUpstream(b + "-" + ENV, "127.0.0.1:" + bGreen);
    seeded.add(DriftKind.ROUTE_NOT_LIVE);
    int nothing = freePort();
    caddy.patchUpstream(c + "-" + ENV, "127.0.0.1:" + nothing);
    seeded.add(DriftKind.ROUTE_DEAD);
    try (CaddyProxy proxy = CaddyProxy.create(CaddyConfig.from(kr.codeb.ProviderConfig.of(
        URI.create(proxyUri))))) {
      proxy.upsert(new Route(ghost + "-" + ENV, List.of(), new Upstream(IpAddress.of(
          "127.0.0.1"), nothing)));
    }
    seeded.add(DriftKind.ROUTE_UNKNOWN_PROJECT);

    // The trap: the server's automatic_https as auto_https=on made it, which a later
    // auto_https=off never undid (CaddyServerSettingsTest shows the listener answering TLS;
    // here the routes have no host, so Caddy has no name to serve TLS for).
    assertEquals(404, caddy.plainStatus(caddyPort),
        "with automatic HTTPS off the listener answers plain HTTP");
    caddy.send("PATCH", "/config/apps/http/servers/" + server + "/automatic_https",
        "{\"skip\":[\"codeb-no-host.invalid\"]}");
    try (CaddyProxy proxy = CaddyProxy.create(CaddyConfig.from(kr.codeb.ProviderConfig.of(
        URI.create(proxyUri))))) {
      proxy.switchUpstream(a + "-" + ENV, new Upstream(IpAddress.of("127.0.0.1"), aBlue));
      List<ProxySetting> differences = proxy.settingDifferences();
      assertEquals(List.of("automatic_https"), differences.stream().map(ProxySetting::name)
          .toList(), "a switch leaves the setting as it was: " + differences);
    }
    seeded.add(DriftKind.PROXY_SETTINGS);

    // DNS: A's domain lost its A record; www points elsewhere.
    try (PowerDnsProvider dns = pdns()) {
      dns.ensureZone(zone, List.of());
      for (String h : List.of("api." + zone.hostName(), "www." + zone.hostName())) {
        dns.upsert(zone, new RecordSet(DnsName.of("_codeb." + h), RecordType.TXT, 300,
            List.of("\"codeb-domain project=" + a + " env=" + ENV + " domain=" + h + "\"")));
        dns.upsert(zone, new RecordSet(DnsName.of(h), RecordType.A, 300, List.of(EDGE)));
      }
      dns.delete(zone, DnsName.of("api." + zone.hostName()), RecordType.A);
      dns.upsert(zone, new RecordSet(DnsName.of("www." + zone.hostName()), RecordType.A, 300,
          List.of("198.51.100.9")));
    }
    seeded.add(DriftKind.DNS_RECORD_MISSING);
    seeded.add(DriftKind.DNS_RECORD_ELSEWHERE);

    // Firewall: a CodeB rule for a port nothing uses.
    FirewallRule unused = FirewallRules.parse("tcp", String.valueOf(freePort()), APP_PRIVATE,
        "codeb: app1 to db1");
    try (FirewallProvider firewall = providers.firewallProvider(firewallUri)) {
      firewall.allow(group, unused);
    }
    seeded.add(DriftKind.FIREWALL_RULE_UNUSED);
    seedDatabases(seeded);
    assertEquals(EnumSet.allOf(DriftKind.class), seeded, "every kind is seeded");

    // 1. Found: every kind, exit 1, and the text names them.
    WeRunner.Result found = we("doctor", "--json").expect(1);
    Set<DriftKind> kinds = kinds(found.json().get("drifts"));
    assertEquals(EnumSet.allOf(DriftKind.class), kinds, found.out());
    assertTrue(found.json().get("drifts").toString().contains("squat" + run), found.out());
    WeRunner.Result text = we("doctor").expect(1);
    assertTrue(text.out().contains("container-missing " + a + " " + ENV), text.out());
    assertTrue(text.out().contains("fixed by 'we doctor --fix'"), text.out());

    // 2. --fix without --yes and no terminal: the plan, nothing applied.
    WeRunner.Result unconfirmed = we("doctor", "--fix").expect(1);
    assertTrue(unconfirmed.out().contains("ACTION"), unconfirmed.out());
    assertTrue(unconfirmed.out().contains("update  container"), unconfirmed.out());
    assertTrue(unconfirmed.out().contains("not applied"), unconfirmed.out());
    assertEquals(EnumSet.allOf(DriftKind.class), kinds(we("doctor", "--json").expect(1).json()
        .get("drifts")), "nothing was applied");

    // 3. --fix --yes: every fix applied, nothing left.
    java.time.Instant fixing = java.time.Instant.now();
    WeRunner.Result fixed = we("doctor", "--fix", "--yes", "--json");
    JsonNode result = fixed.json();
    for (JsonNode o : result.get("outcomes")) {
      assertTrue(o.get("applied").asBoolean(), "not applied: " + o);
    }
    assertEquals(0, fixed.code(), fixed.out());
    assertTrue(result.get("after").get("clean").asBoolean(), fixed.out());

    // 4. The run after reports nothing.
    WeRunner.Result after = we("doctor").expect(0);
    assertTrue(after.out().contains("no drift"), after.out());

    // What the fixes did, seen on the engines themselves.
    try (ContainerRuntime docker = providers.containerRuntime(dockerUri)) {
      assertTrue(state(docker, a + "-" + ENV + "-blue").isRunning(), "A's live slot started");
      assertFalse(state(docker, ghost + "-" + ENV + "-blue").isRunning(), "ghost stopped");
      assertFalse(state(docker, "squat" + run).isRunning(), "squatter stopped");
    }
    assertEquals(404, caddy.plainStatus(caddyPort),
        "automatic HTTPS off again: plain HTTP answers");
    JsonNode routes = we("routes", "--json").expect(0).json().get("routes");
    assertEquals("127.0.0.1:" + bBlue, upstreamOf(routes, b + "-" + ENV));
    assertEquals("127.0.0.1:" + cBlue, upstreamOf(routes, c + "-" + ENV));
    assertEquals(Optional.empty(), Optional.ofNullable(upstreamOf(routes, ghost + "-" + ENV)));
    try (PowerDnsProvider dns = pdns()) {
      for (String h : List.of("api." + zone.hostName(), "www." + zone.hostName())) {
        assertEquals(List.of(EDGE), dns.recordSets(zone).stream().filter(s -> s.name()
            .equals(DnsName.of(h)) && s.type() == RecordType.A).findFirst().orElseThrow()
            .records(), h);
      }
    }
    try (FirewallProvider firewall = providers.firewallProvider(firewallUri)) {
      List<FirewallRule> rules = firewall.rules(group);
      assertTrue(rules.stream().noneMatch(r -> FirewallRules.sameTraffic(r, unused)), "revoked");
      assertTrue(rules.stream().anyMatch(r -> r.note().equals("codeb: app1 to db1")
          && r.subnet().value().equals(APP_PRIVATE) && r.prefix() == 32
          && r.ports().orElseThrow().start() == storePort), "the storage port opened: " + rules);
    }
    JsonNode allocated = WeRunner.MAPPER.readTree(ssot.toFile()).get("ports").get("allocated");
    assertEquals(a, allocated.get(String.valueOf(aGreen)).get("project").asText());
    try (ContainerRuntime docker = providers.containerRuntime(dockerUri)) {
      assertTrue(state(docker, a + "-" + ENV + "-postgres").isRunning(), "A's database started");
      assertFalse(state(docker, ghost + "-" + ENV + "-redis").isRunning(), "ghost db stopped");
    }

    // The audit log beside the SSOT has each fix, made by the doctor through the providers.
    JsonNode audit = we("audit", "--json", "--since", fixing.toString()).expect(0).json();
    Set<String> fixes = new java.util.TreeSet<>();
    for (JsonNode e : audit.get("entries")) {
      if (e.get("command").asText().equals("we doctor")) {
        fixes.add(e.get("action").asText() + " " + e.get("target").asText());
      }
    }
    for (String change : List.of("start container:" + a + "-" + ENV + "-blue",
        "stop container:" + ghost + "-" + ENV + "-blue", "stop container:squat" + run,
        "start container:" + a + "-" + ENV + "-postgres",
        "stop container:" + ghost + "-" + ENV + "-redis",
        "switch route:" + b + "-" + ENV, "switch route:" + c + "-" + ENV,
        "delete route:" + ghost + "-" + ENV, "update proxy:settings",
        "create record:" + zone.value() + "/api." + zone.value() + "/A",
        "update record:" + zone.value() + "/www." + zone.value() + "/A",
        "delete firewall:" + group + "/tcp/" + unused.ports().orElseThrow().start() + "/"
            + APP_PRIVATE + "/32",
        "create firewall:" + group + "/tcp/" + storePort + "/" + APP_PRIVATE + "/32",
        "repair ssot:ports.allocated/" + aGreen)) {
      assertTrue(fixes.contains(change), change + " in " + fixes);
    }
  }

  /**
   * On db1: A's Postgres is in the SSOT and its container was stopped by hand; a CodeB
   * database container (labelled as {@code we db} labels them) belongs to no SSOT service.
   */
  private void seedDatabases(Set<DriftKind> seeded) throws IOException {
    int dbPort = freePort();
    ObjectNode doc = (ObjectNode) WeRunner.MAPPER.readTree(ssot.toFile());
    ((ObjectNode) doc.get("projects").get(a)).putObject("services").putObject(ENV)
        .putObject("postgres").put("port", dbPort);
    Files.writeString(ssot, WeRunner.MAPPER.writeValueAsString(doc));
    try (ContainerRuntime docker = providers.containerRuntime(dockerUri)) {
      run(docker, a + "-" + ENV + "-postgres", database(a, "postgres", dbPort), List.of());
      docker.stop(new ContainerId(a + "-" + ENV + "-postgres"), Duration.ofSeconds(5));
      seeded.add(DriftKind.DATABASE_MISSING);
      run(docker, ghost + "-" + ENV + "-redis", database(ghost, "redis", freePort()), List.of());
      seeded.add(DriftKind.DATABASE_UNOWNED);
    }
  }

  private static Map<String, String> database(String project, String kind, int port) {
    return Map.of("codeb.project", project, "codeb.env", ENV, "codeb.role", "database",
        "codeb.kind", kind, "codeb.port", String.valueOf(port), "codeb.version", "16");
  }

  private void run(ContainerRuntime docker, String name, Map<String, String> labels,
      List<PortBinding> ports) {
    extraContainers.add(name);
    docker.run(new ContainerSpec(name, image + ":v1", labels, Map.of(), ports, List.of()));
  }

  private static ContainerInfo state(ContainerRuntime docker, String name) {
    return docker.inspect(new ContainerId(name)).orElseThrow();
  }
}
