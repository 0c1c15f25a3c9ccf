package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
 * One project (web + worker) on two app servers behind one Caddy: app1 is the main dockerd
 * (SSH at 127.0.0.11, publishing on 127.0.0.11), app2 the Podman service (SSH at 127.0.0.12,
 * publishing on 127.0.0.12), so both bind the same port. The web process appends its
 * container's host name to the example app's page, so answers tell the servers apart.
 * Deployed, failed (a pull on app2, a gate on app2) and rolled back under load through the
 * edge (its default switch: the route's SRV record names both servers, PowerDNS behind the
 * recursor cache): no failed request, and never a mixed state.
 */
class MultiServerRealEnginesTest {
  static final String ENV = "production";
  /** The example app's page plus the container's host name, served from a copy in /tmp. */
  static final String WEB = "[/bin/sh, -c, '/bin/busybox mkdir -p /tmp/w && /bin/busybox cp"
      + " /www/index.html /www/health /tmp/w/ && /bin/cat /etc/hostname >> /tmp/w/index.html"
      + " && exec /bin/httpd -f -p 8080 -h /tmp/w']";

  @TempDir Path dir;
  Path config;
  String project;
  String host;
  int caddyPort;
  int rangeStart;

  @BeforeEach
  void fleet() throws Exception {
    caddyPort = Integer.parseInt(TestEngines.require("CODEB_TEST_CADDY_HTTP_PORT").strip());
    project = "ms-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    host = project + ".test";
    rangeStart = RealDeployHarness.freeBlockFrom(47500);
    Path ssot = WeRunner.write(dir.resolve("ssot.json"), ("{\"version\":\"7.0.0\","
        + "\"portRanges\":{\"" + ENV + "\":{\"start\":" + rangeStart + ",\"end\":"
        + (rangeStart + RealDeployHarness.RANGE_SIZE - 1) + "}},\"projects\":{},"
        + "\"ports\":{\"allocated\":{}}}\n").getBytes(StandardCharsets.UTF_8));
    String admin = TestEngines.require("CODEB_TEST_CADDY_ADMIN").replaceFirst("^http://", "");
    String yaml = "ssot: " + ssot + "\n"
        + "ssh:\n"
        + "  user: " + TestEngines.require("CODEB_TEST_SSH_USER") + "\n"
        + "  key: " + TestEngines.require("CODEB_TEST_SSH_KEY") + "\n"
        + "  knownHosts: " + TestEngines.require("CODEB_TEST_SSH_KNOWN_HOSTS") + "\n"
        + "projects:\n"
        + "  " + project + ":\n"
        + "    processes:\n"
        + "      web: { command: " + WEB + " }\n"
        + "      worker: { command: 'echo working; exec /bin/sleep 3600',"
        + " health: [/bin/sh, -c, 'exit 0'] }\n"
        + "servers:\n"
        + "  - name: app1\n"
        + "    roles: [app]\n"
        + "    public: 127.0.0.11\n"
        + "    private: 127.0.0.11\n"
        + "    publish: 127.0.0.11\n"
        + "    ssh: 127.0.0.11:" + TestEngines.require("CODEB_TEST_SSH_PORT_A") + "\n"
        + "    projects: [" + project + "]\n"
        + "    engines:\n"
        + "      runtime: docker+" + TestEngines.require("CODEB_TEST_DOCKER_HOST") + "\n"
        + "  - name: app2\n"
        + "    roles: [app]\n"
        + "    public: 127.0.0.12\n"
        + "    private: 127.0.0.12\n"
        + "    publish: 127.0.0.12\n"
        + "    ssh: 127.0.0.12:" + TestEngines.require("CODEB_TEST_SSH_PORT_B") + "\n"
        + "    projects: [" + project + "]\n"
        + "    engines:\n"
        + "      runtime: " + podmanUri() + "\n"
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
    config = Files.writeString(dir.resolve("fleet.yaml"), yaml);
    // Podman (app2) gets v1 and v2, and as "mix" the image that never passes its health
    // check, while the dockerd's (app1) "mix" is healthy; "pull" stays on app1 only, so app2
    // must pull it (and cannot: no registry is reachable).
    String dockerHost = TestEngines.require("CODEB_TEST_DOCKER_HOST");
    for (String tag : List.of("v1", "v2", "broken")) {
      run(Map.of("DOCKER_HOST", dockerHost), "podman", "pull", "--quiet",
          "docker-daemon:" + image(tag));
    }
    pullTag = project + "-pull";
    mixTag = project + "-mix";
    run(Map.of("DOCKER_HOST", dockerHost), "/usr/bin/docker", "tag", image("v3"), image(pullTag));
    run(Map.of("DOCKER_HOST", dockerHost), "/usr/bin/docker", "tag", image("v3"), image(mixTag));
    run(Map.of(), "podman", "tag", image("broken"), image(mixTag));
  }

  String pullTag;
  String mixTag;

  static String image(String tag) {
    return TestEngines.require("CODEB_TEST_EXAMPLE_IMAGE").strip() + ":" + tag;
  }

  static void run(Map<String, String> env, String... command) throws Exception {
    ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
    b.environment().putAll(env);
    Process p = b.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), List.of(command) + ": " + out);
  }

  static String podmanUri() {
    return "podman+unix://" + TestEngines.require("CODEB_TEST_PODMAN_SOCKET").strip()
        .replaceFirst("^unix://", "");
  }

  WeRunner.Result we(String... args) {
    List<String> all = new ArrayList<>(List.of("--config", config.toString()));
    all.addAll(List.of(args));
    return WeRunner.run(Map.of(
        "CODEB_POWERDNS_API_KEY", TestEngines.require("CODEB_TEST_PDNS_API_KEY"),
        "CODEB_POWERDNS_RECURSOR_API_KEY",
        TestEngines.require("CODEB_TEST_PDNS_RECURSOR_API_KEY")), all.toArray(String[]::new));
  }

  WeRunner.Result deploy(String tag) {
    return we("deploy", project, "--env", ENV, "--image", image(tag), "--host", host,
        "--drain", "500ms", "--health-timeout", "15s", "--keep-images", "10", "--json");
  }

  static final String APP1 = "app1";
  static final String APP2 = "app2";

  static String engineOf(String server) {
    return server.equals(APP1) ? "docker+" + TestEngines.require("CODEB_TEST_DOCKER_HOST")
        : podmanUri();
  }

  List<ContainerInfo> containers(String server) {
    try (ContainerRuntime runtime = ProviderRegistry.load(name -> null)
        .containerRuntime(engineOf(server))) {
      return runtime.list(Map.of("codeb.project", project));
    }
  }

  /** Running containers by name, with their image tag, on one engine. */
  Map<String, String> running(String server) {
    Map<String, String> out = new TreeMap<>();
    for (ContainerInfo c : containers(server)) {
      if (c.isRunning()) {
        out.put(c.name().substring(project.length() + 1), c.image()
            .substring(c.image().lastIndexOf(':') + 1));
      }
    }
    return out;
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (String server : List.of(APP1, APP2)) {
      try (ContainerRuntime runtime = ProviderRegistry.load(name -> null)
          .containerRuntime(engineOf(server))) {
        runtime.list(Map.of("codeb.project", project)).forEach(c -> runtime.remove(c.id()));
        for (String tag : List.of(pullTag, mixTag)) {
          try {
            runtime.removeImage(image(tag));
          } catch (kr.codeb.CodeBException e) {
            System.err.println("[multi-server] could not remove " + image(tag) + ": " + e);
          }
        }
      }
    }
    String admin = TestEngines.require("CODEB_TEST_CADDY_ADMIN").replaceFirst("^http://", "");
    try (ReverseProxy proxy = ProviderRegistry.load(name -> null)
        .reverseProxy("caddy+http://" + admin + "?listen=127.0.0.1:" + caddyPort
            + "&auto_https=off")) {
      proxy.remove(project + "-" + ENV);
    }
  }

  /**
   * {@code n} requests on new connections through Caddy: which answers came, by body. Every
   * one must be a 200.
   */
  Map<String, Integer> answers(int n) throws IOException {
    Map<String, Integer> seen = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      ProxyTraffic.Answer a = ProxyTraffic.get(caddyPort, host, "/");
      assertEquals(200, a.status(), a.toString());
      seen.merge(a.body().strip(), 1, Integer::sum);
    }
    return seen;
  }

  /** Every answer is {@code tag}'s, and both servers (two host names) gave some. */
  void assertBothServe(String tag) throws IOException {
    Map<String, Integer> seen = answers(20);
    assertEquals(2, seen.size(), "two servers, one release each: " + seen);
    for (String body : seen.keySet()) {
      assertTrue(body.startsWith("hello from " + tag + "\n"), "only " + tag + ": " + seen);
    }
  }

  List<String> upstreams() {
    for (JsonNode r : we("routes", "--json").expect(0).json().get("routes")) {
      if (r.get("id").asText().equals(project + "-" + ENV)) {
        List<String> out = new ArrayList<>();
        r.get("upstreams").forEach(u -> out.add(u.asText()));
        return out;
      }
    }
    return List.of();
  }

  @Test
  void deployFailAndRollBackOnTwoServersUnderLoadLoseNoRequestAndNeverMix() throws Exception {
    JsonNode first = deploy("v1").expect(0).json();
    assertEquals("deployed", first.get("outcome").asText(), first.toString());
    assertEquals(List.of("app1", "app2"), List.of(first.get("servers").get(0).asText(),
        first.get("servers").get(1).asText()));
    int blue = first.get("port").asInt();
    Map<String, String> blueV1 = Map.of("production-blue", "v1",
        "production-blue-worker-1", "v1");
    assertEquals(blueV1, running(APP1));
    assertEquals(blueV1, running(APP2));
    assertEquals(List.of("127.0.0.11:" + blue, "127.0.0.12:" + blue), upstreams());
    assertBothServe("v1");

    Set<String> bodies = new TreeSet<>();
    try (ProxyTraffic.Load kept = ProxyTraffic.Load.keepAlive(caddyPort, host, Set.of());
        ProxyTraffic.Load fresh = ProxyTraffic.Load.newConnections(caddyPort, host, Set.of())) {
      JsonNode second = deploy("v2").expect(0).json();
      assertEquals("deployed", second.get("outcome").asText(), second.toString());
      int green = second.get("port").asInt();
      assertBothServe("v2");
      Map<String, String> greenV2 = Map.of("production-blue", "v1",
          "production-green", "v2", "production-green-worker-1", "v2");
      assertEquals(greenV2, running(APP1), "old worker stopped on app1");
      assertEquals(greenV2, running(APP2));

      // app2 cannot pull the image: nothing starts anywhere, nothing switches.
      WeRunner.Result pull = deploy(pullTag).expect(1);
      assertTrue(pull.err().contains("app2"), pull.err());
      assertEquals(greenV2, running(APP1), "nothing of it on app1");
      assertEquals(greenV2, running(APP2));
      assertEquals(List.of("127.0.0.11:" + green, "127.0.0.12:" + green), upstreams());
      assertBothServe("v2");

      // "mix" passes its gate on app1 and fails it on app2: no server switches, and the new
      // containers are stopped on both.
      JsonNode mix = deploy(mixTag).expect(1).json();
      assertEquals("failed", mix.get("outcome").asText(), mix.toString());
      assertTrue(mix.get("reason").asText().startsWith("app2: "), mix.toString());
      Map<String, String> greenOnly = Map.of("production-green", "v2",
          "production-green-worker-1", "v2");
      assertEquals(greenOnly, running(APP1), "mix stopped on app1 too");
      assertEquals(greenOnly, running(APP2));
      assertBothServe("v2");

      // The rollback recreates v1 (the blue slots hold the stopped "mix") on both servers.
      JsonNode back = we("rollback", project, "--env", ENV, "--json").expect(0).json();
      assertTrue(back.get("changed").asBoolean(), back.toString());
      assertBothServe("v1");
      kept.close();
      fresh.close();
      for (ProxyTraffic.Load load : List.of(kept, fresh)) {
        System.out.println("[multi-server] " + load.summary());
        load.answers().keySet().forEach(a -> bodies.add(a.substring(0, a.indexOf('\n') < 0
            ? a.length() : a.indexOf('\n'))));
      }
      for (ProxyTraffic.Load load : List.of(kept, fresh)) {
        assertTrue(load.total.get() >= 50, load.summary());
        assertEquals(0, load.errors.get(), load.summary());
        assertEquals(0, load.badStatus.get(), load.summary());
      }
      // The edge's default switch (SRV records, no config reload) closes no connection.
      assertEquals(0, fresh.failed(), "no request may fail: " + fresh.summary());
      assertEquals(0, kept.failed(), "no request may fail: " + kept.summary());
    }
    assertTrue(Set.of("200 hello from v1", "200 hello from v2").containsAll(bodies),
        "only v1 and v2 ever answered (never the mix or the unpullable image): " + bodies);

    JsonNode slot = we("slot", project, "--env", ENV, "--json").expect(0).json();
    JsonNode live = slot.get("slots").get(0).get("live").asBoolean()
        ? slot.get("slots").get(0) : slot.get("slots").get(1);
    assertEquals(2, live.get("servers").size(), live.toString());
    for (JsonNode on : live.get("servers")) {
      assertEquals("running", on.get("container").get("state").asText(), on.toString());
      assertEquals(1, on.get("workers").size(), on.toString());
    }
    WeRunner.Result table = we("slot", project, "--env", ENV).expect(0);
    assertTrue(table.out().contains("SERVER") && table.out().contains("app2"), table.out());
    JsonNode health = we("health", project, "--env", ENV, "--json").expect(0).json();
    assertEquals(2, health.get("servers").size(), health.toString());
    assertTrue(health.get("healthy").asBoolean(), health.toString());
  }
}
