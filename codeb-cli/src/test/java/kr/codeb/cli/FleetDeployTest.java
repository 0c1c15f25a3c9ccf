package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import kr.codeb.ProviderRegistry;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet of three "servers" on one machine, each its own sshd on its own loopback address: the
 * app server (127.0.0.11, the main dockerd), the storage server (127.0.0.12, a second dockerd)
 * and the edge (127.0.0.13, Caddy, PowerDNS and the recursor, whose APIs are reached only
 * through its sshd). Every {@code we} line gets nothing but {@code --config}: the engines, the
 * addresses and the lossless SRV switch come from the config file.
 */
class FleetDeployTest {
  static final String ENV = "production";

  @TempDir Path dir;
  Path ssot;
  Path config;
  String project;
  String host;
  int caddyPort;
  int rangeStart;

  @BeforeEach
  void fleet() throws IOException {
    caddyPort = Integer.parseInt(TestEngines.require("CODEB_TEST_CADDY_HTTP_PORT").strip());
    project = "fl-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    host = project + ".test";
    rangeStart = RealDeployHarness.freeBlockFrom(47300);
    ssot = WeRunner.write(dir.resolve("ssot.json"), ("{\"version\":\"7.0.0\","
        + "\"portRanges\":{\"" + ENV + "\":{\"start\":" + rangeStart + ",\"end\":"
        + (rangeStart + RealDeployHarness.RANGE_SIZE - 1) + "}},\"projects\":{},"
        + "\"ports\":{\"allocated\":{}}}\n").getBytes(StandardCharsets.UTF_8));
    config = writeConfig(TestEngines.require("CODEB_TEST_SSH_KNOWN_HOSTS"),
        TestEngines.require("CODEB_TEST_SSH_PORT_A"));
  }

  Path writeConfig(String knownHosts, String appSshPort) throws IOException {
    String admin = TestEngines.require("CODEB_TEST_CADDY_ADMIN").replaceFirst("^http://", "");
    String yaml = "ssot: " + ssot + "\n"
        + "ssh:\n"
        + "  user: " + TestEngines.require("CODEB_TEST_SSH_USER") + "\n"
        + "  key: " + TestEngines.require("CODEB_TEST_SSH_KEY") + "\n"
        + "  knownHosts: " + knownHosts + "\n"
        + "servers:\n"
        + "  - name: app1\n"
        + "    roles: [app]\n"
        + "    public: 127.0.0.11\n"
        + "    private: 127.0.0.11\n"
        + "    publish: 127.0.0.11\n"
        + "    ssh: 127.0.0.11:" + appSshPort + "\n"
        + "    engines:\n"
        + "      runtime: docker+" + TestEngines.require("CODEB_TEST_DOCKER_HOST") + "\n"
        + "  - name: db1\n"
        + "    roles: [storage]\n"
        + "    public: 127.0.0.12\n"
        + "    private: 127.0.0.12\n"
        + "    ssh: 127.0.0.12:" + TestEngines.require("CODEB_TEST_SSH_PORT_B") + "\n"
        + "    engines:\n"
        + "      runtime: docker+" + TestEngines.require("CODEB_TEST_STORAGE_DOCKER_HOST") + "\n"
        + "  - name: edge\n"
        + "    roles: [edge]\n"
        + "    public: 127.0.0.13\n"
        + "    private: 127.0.0.13\n"
        + "    ssh: 127.0.0.13:" + TestEngines.require("CODEB_TEST_SSH_PORT_C") + "\n"
        + "    engines:\n"
        + "      proxy: caddy+http://" + admin + "?listen=127.0.0.1:" + caddyPort
        + "&auto_https=off\n"
        + "      dns: powerdns+" + TestEngines.require("CODEB_TEST_PDNS_API")
        + "?server=localhost\n"
        + "      dnsListen: " + TestEngines.require("CODEB_TEST_PDNS_DNS") + "\n"
        + "      dnsCache: powerdns-recursor+" + TestEngines.require("CODEB_TEST_PDNS_RECURSOR_API")
        + "\n"
        + "      dnsCacheListen: " + TestEngines.require("CODEB_TEST_PDNS_RECURSOR_DNS") + "\n";
    Path file = dir.resolve("fleet-" + ThreadLocalRandom.current().nextInt(1 << 20) + ".yaml");
    Files.writeString(file, yaml);
    return file;
  }

  Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put("CODEB_POWERDNS_API_KEY", TestEngines.require("CODEB_TEST_PDNS_API_KEY"));
    env.put("CODEB_POWERDNS_RECURSOR_API_KEY",
        TestEngines.require("CODEB_TEST_PDNS_RECURSOR_API_KEY"));
    return env;
  }

  WeRunner.Result we(Path configFile, String... args) {
    List<String> all = new ArrayList<>(List.of("--config", configFile.toString()));
    all.addAll(List.of(args));
    return WeRunner.run(environment(), all.toArray(String[]::new));
  }

  WeRunner.Result deploy(Path configFile, String tag) {
    return we(configFile, "deploy", project, "--env", ENV, "--image", image(tag), "--host", host,
        "--drain", "200ms", "--health-timeout", "20s", "--keep-images", "10", "--json");
  }

  static String image(String tag) {
    return TestEngines.require("CODEB_TEST_EXAMPLE_IMAGE").strip() + ":" + tag;
  }

  List<ContainerInfo> containers(String dockerHostVariable) {
    try (ContainerRuntime runtime = ProviderRegistry.load(name -> null)
        .containerRuntime("docker+" + TestEngines.require(dockerHostVariable))) {
      return runtime.list(Map.of("codeb.project", project));
    }
  }

  @AfterEach
  void cleanUp() {
    try (ContainerRuntime runtime = ProviderRegistry.load(name -> null)
        .containerRuntime("docker+" + TestEngines.require("CODEB_TEST_DOCKER_HOST"))) {
      runtime.list(Map.of("codeb.project", project)).forEach(c -> runtime.remove(c.id()));
    }
    String admin = TestEngines.require("CODEB_TEST_CADDY_ADMIN").replaceFirst("^http://", "");
    try (ReverseProxy proxy = ProviderRegistry.load(name -> null)
        .reverseProxy("caddy+http://" + admin + "?listen=127.0.0.1:" + caddyPort
            + "&auto_https=off")) {
      proxy.remove(project + "-" + ENV);
    }
  }

  @Test
  void deployPromoteAndRollbackAcrossTheFleetLoseNoRequest() throws Exception {
    JsonNode first = deploy(config, "v1").expect(0).json();
    assertEquals("app1", first.get("server").asText(), first.toString());
    int port = first.get("port").asInt();
    assertTrue(port >= rangeStart && port < rangeStart + RealDeployHarness.RANGE_SIZE);
    // the app engine runs the slot, published on the app server's address; the storage engine
    // has nothing of the project
    List<ContainerInfo> onApp = containers("CODEB_TEST_DOCKER_HOST");
    assertEquals(1, onApp.size(), onApp.toString());
    assertTrue(containers("CODEB_TEST_STORAGE_DOCKER_HOST").isEmpty());
    // the edge's Caddy dials the app server's private address
    JsonNode routes = we(config, "routes", "--json").expect(0).json().get("routes");
    String upstream = "";
    for (JsonNode r : routes) {
      if (r.get("id").asText().equals(project + "-" + ENV)) {
        upstream = r.get("upstream").asText();
      }
    }
    assertEquals("127.0.0.11:" + port, upstream);
    assertServes("v1");

    try (ProxyTraffic.Load kept = ProxyTraffic.Load.keepAlive(caddyPort, host,
        Set.of(body("v1"), body("v2")))) {
      JsonNode second = deploy(config, "v2").expect(0).json();
      assertEquals("deployed", second.get("outcome").asText(), second.toString());
      assertServes("v2");
      assertTrue(we(config, "rollback", project, "--env", ENV, "--json").expect(0).json()
          .get("changed").asBoolean());
      assertServes("v1");
      assertTrue(we(config, "promote", project, "--env", ENV, "--json").expect(0).json()
          .get("changed").asBoolean());
      assertServes("v2");
      kept.close();
      assertTrue(kept.total.get() >= 20, kept.summary());
      assertEquals(0, kept.wrong.get(), kept.summary());
      assertEquals(0, kept.failed(), "the fleet's default switch must lose no request: "
          + kept.summary());
    }
  }

  @Test
  void anUnknownHostKeyIsRefusedAndNothingRuns() throws Exception {
    Path empty = Files.createFile(dir.resolve("known_hosts_empty"));
    Path strict = writeConfig(empty.toString(), TestEngines.require("CODEB_TEST_SSH_PORT_A"));
    WeRunner.Result r = deploy(strict, "v1").expect(1);
    assertTrue(r.err().contains("we fleet trust"), r.err());
    assertTrue(r.err().contains("SHA256:"), r.err());
    assertTrue(containers("CODEB_TEST_DOCKER_HOST").isEmpty());
    assertEquals("", Files.readString(empty));
  }

  @Test
  void trustRecordsOnlyThePinnedKey() throws Exception {
    Path known = dir.resolve("ssh/known_hosts");
    Path fresh = writeConfig(known.toString(), TestEngines.require("CODEB_TEST_SSH_PORT_A"));
    String wrong = "SHA256:" + "A".repeat(43);
    WeRunner.Result refused = we(fresh, "fleet", "trust", "app1", "--fingerprint", wrong)
        .expect(1);
    assertTrue(refused.err().contains(wrong), refused.err());
    assertFalse(Files.exists(known) && Files.size(known) > 0);
    // without a terminal and without --fingerprint, it shows the key and trusts nothing
    WeRunner.Result shown = we(fresh, "fleet", "trust", "app1").expect(2);
    String fingerprint = shown.out().replaceAll("(?s).*(SHA256:[A-Za-z0-9+/]{43}).*", "$1");
    assertTrue(fingerprint.startsWith("SHA256:"), shown.out());
    assertFalse(Files.exists(known) && Files.size(known) > 0);
    we(fresh, "fleet", "trust", "app1", "--fingerprint", fingerprint).expect(0);
    assertTrue(Files.readString(known).contains("127.0.0.11"));
    we(fresh, "fleet", "trust", "app1", "--fingerprint", fingerprint).expect(0);
    assertEquals(1, Files.readAllLines(known).size());
  }

  @Test
  void statusChecksEveryServerAndReportsADeadOneWithinItsDeadline() throws Exception {
    JsonNode ok = we(config, "fleet", "status", "--json").expect(0).json();
    assertTrue(ok.get("ok").asBoolean(), ok.toString());
    assertEquals(3, ok.get("servers").size());
    // app1's sshd "stopped": nothing listens on its port
    int dead;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getByName("127.0.0.11"))) {
      dead = s.getLocalPort();
    }
    Path broken = writeConfig(TestEngines.require("CODEB_TEST_SSH_KNOWN_HOSTS"),
        String.valueOf(dead));
    long start = System.nanoTime();
    WeRunner.Result r = we(broken, "fleet", "status", "--json", "--timeout", "10s").expect(1);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis < 12_000, "took " + millis + " ms");
    JsonNode status = r.json();
    for (JsonNode server : status.get("servers")) {
      boolean isApp = server.get("name").asText().equals("app1");
      assertEquals(!isApp, server.get("ok").asBoolean(), server.toString());
      if (isApp) {
        JsonNode ssh = server.get("checks").get(0);
        assertEquals("ssh", ssh.get("check").asText());
        assertEquals("unreachable", ssh.get("problem").asText(), ssh.toString());
      }
    }
  }

  @Test
  void aWrongUserOrKeyFailsWithExitOneAndSaysWhy() throws Exception {
    String yaml = Files.readString(config);
    Path wrongUser = dir.resolve("wrong-user.yaml");
    Files.writeString(wrongUser, yaml.replaceFirst("  user: .*\n", "  user: nosuchuser\n"));
    WeRunner.Result r = deploy(wrongUser, "v1").expect(1);
    assertTrue(r.err().contains("nosuchuser"), r.err());
    assertTrue(r.err().toLowerCase(java.util.Locale.ROOT).contains("refused")
        || r.err().toLowerCase(java.util.Locale.ROOT).contains("auth"), r.err());

    Path key = dir.resolve("stranger_key");
    Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
        key.toString()).redirectErrorStream(true).start();
    assertEquals(0, keygen.waitFor());
    Path wrongKey = dir.resolve("wrong-key.yaml");
    Files.writeString(wrongKey, yaml.replaceFirst("  key: .*\n", "  key: " + key + "\n"));
    WeRunner.Result k = deploy(wrongKey, "v1").expect(1);
    assertTrue(k.err().toLowerCase(java.util.Locale.ROOT).contains("refused")
        || k.err().toLowerCase(java.util.Locale.ROOT).contains("auth"), k.err());
    assertFalse(k.err().contains("Exception"), k.err());
    assertTrue(containers("CODEB_TEST_DOCKER_HOST").isEmpty());
  }

  /**
   * The app server's SSH sessions are killed while a deploy waits for its new slot's health: the
   * live slot keeps serving, no lock is left behind (or it can be broken), and the next deploy
   * succeeds on a new connection.
   */
  @Test
  void sshDroppingInTheMiddleOfADeployLeavesTheLiveSlotServing() throws Exception {
    deploy(config, "v1").expect(0);
    assertServes("v1");
    long sshd = Long.parseLong(Files.readString(
        Path.of(TestEngines.require("CODEB_TEST_SSH_PID_FILE"))).strip());
    java.util.concurrent.CompletableFuture<WeRunner.Result> broken =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> we(config, "deploy", project,
            "--env", ENV, "--image", image("broken"), "--health-timeout", "4s", "--json"));
    Thread.sleep(1500);
    ProcessHandle.of(sshd).orElseThrow().children().forEach(ProcessHandle::destroyForcibly);
    WeRunner.Result failed = broken.get(60, java.util.concurrent.TimeUnit.SECONDS);
    assertTrue(failed.code() != 0, failed.out() + failed.err());
    assertServes("v1");
    JsonNode lock = we(config, "lock", "show", project, "--env", ENV, "--json").expect(0)
        .json();
    if (!lock.get("lock").isNull()) {
      we(config, "lock", "break", project, "--env", ENV).expect(0);
    }
    JsonNode again = deploy(config, "v2").expect(0).json();
    assertEquals("deployed", again.get("outcome").asText(), again.toString());
    assertServes("v2");
  }

  void assertServes(String tag) throws IOException {
    for (int i = 0; i < 3; i++) {
      ProxyTraffic.Answer a = ProxyTraffic.get(caddyPort, host, "/");
      assertEquals(200, a.status(), a.toString());
      assertEquals(body(tag), a.body());
    }
  }

  static String body(String tag) {
    return "hello from " + tag;
  }
}
