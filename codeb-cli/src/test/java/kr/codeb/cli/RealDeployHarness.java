package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import kr.codeb.ProviderRegistry;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.proxy.Route;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet behind {@link RealDeployScenarios}: a subclass names the engine and the images; this
 * sets up a project of the test's own on the shared engines and Caddy, runs {@code we} lines
 * against it, reads slots, routes and containers back, and removes everything afterwards.
 */
abstract class RealDeployHarness {
  static final String ENV = "production";
  static final int RANGE_SIZE = 100;

  /** The runtime URI given to {@code --runtime}, e.g. {@code docker+unix:///var/run/docker.sock}. */
  protected abstract String runtimeUri();

  /**
   * The example app's image with {@code tag}: {@code v1}, {@code v2}, {@code v3} answer
   * {@code hello from vN} on {@code /} and {@code ok} on {@code /health} (port 8080);
   * {@code broken} never has {@code /health}; {@code crash} exits with code 3 at once.
   */
  protected abstract String image(String tag);

  /**
   * The first port of this class's production range (the SSOT range is this and the next 99
   * ports). Unique per test class: other classes deploy on the same engine at the same time.
   */
  protected abstract int portRangeStart();

  /** More query parameters for the proxy URI (a switch mechanism); none by default. */
  protected String proxyOptions() {
    return "";
  }

  /** Variables the CLI sees (secrets such as CODEB_POWERDNS_API_KEY); none by default. */
  protected Map<String, String> environment() {
    return Map.of();
  }

  /** Whether the switch must lose no request under keep-alive load (asserted, not just shown). */
  protected boolean zeroDropSwitch() {
    return false;
  }

  ProviderRegistry providers() {
    Map<String, String> env = environment();
    return ProviderRegistry.load(env::get);
  }

  /** Where this test's SSOT range really starts: the hint, or the next block that is free. */
  int rangeStart;

  @TempDir Path dir;
  Path ssot;
  String project;
  String host;
  String proxyUri;
  int caddyPort;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void fleet() {
    String admin = TestEngines.require("CODEB_TEST_CADDY_ADMIN");
    caddyPort = Integer.parseInt(TestEngines.require("CODEB_TEST_CADDY_HTTP_PORT").strip());
    runtimeUri(); // the subclass's engine variables: skipped or failed (CI=true) here
    image("v1");
    String authority = admin.replaceFirst("^https?://", "").replaceFirst("/+$", "");
    proxyUri = "caddy+http://" + authority + "?listen=127.0.0.1:" + caddyPort + "&auto_https=off"
        + proxyOptions();
    project = "e2e-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    host = project + ".test";
    rangeStart = freeBlockFrom(portRangeStart());
    int start = rangeStart;
    ssot = WeRunner.write(dir.resolve("ssot.json"), ("{\"version\":\"7.0.0\","
        + "\"portRanges\":{\"" + ENV + "\":{\"start\":" + start + ",\"end\":"
        + (start + RANGE_SIZE - 1) + "}},\"projects\":{},\"ports\":{\"allocated\":{}}}\n")
        .getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The first block of {@code RANGE_SIZE} ports from {@code hint} (in steps of a block) that
   * nothing on this machine listens on: the SSOT knows nothing of other programs' ports.
   */
  static int freeBlockFrom(int hint) {
    for (int start = hint; start + RANGE_SIZE <= 65535; start += RANGE_SIZE) {
      boolean free = true;
      for (int port = start; port < start + RANGE_SIZE && free; port++) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
          probe.bind(new java.net.InetSocketAddress("127.0.0.1", port));
        } catch (java.io.IOException taken) {
          free = false;
        }
      }
      if (free) {
        return start;
      }
    }
    throw new IllegalStateException("no free block of " + RANGE_SIZE + " ports from " + hint);
  }

  @AfterEach
  void cleanUp() {
    List<Throwable> problems = new ArrayList<>();
    for (int i = toClose.size() - 1; i >= 0; i--) {
      try {
        toClose.get(i).close();
      } catch (Exception | AssertionError e) {
        problems.add(e);
      }
    }
    toClose.clear();
    if (project == null) {
      return;
    }
    for (String p : List.of(project, nobody())) {
      try (ContainerRuntime runtime = providers().containerRuntime(runtimeUri())) {
        for (ContainerInfo c : runtime.list(Map.of("codeb.project", p))) {
          runtime.remove(c.id());
        }
      } catch (Exception e) {
        problems.add(e);
      }
      try (ReverseProxy proxy = providers().reverseProxy(proxyUri)) {
        proxy.remove(p + "-" + ENV);
      } catch (Exception e) {
        problems.add(e);
      }
    }
    if (!problems.isEmpty()) {
      AssertionError e = new AssertionError("cleaning up " + project + " failed");
      problems.forEach(e::addSuppressed);
      throw e;
    }
  }

  // ---------------------------------------------------------------------------------------
  // The scenarios

  WeRunner.Result we(String... args) {
    return WeRunner.run(environment(), fleetArgs(args));
  }

  String[] fleetArgs(String... args) {
    List<String> all = new ArrayList<>(List.of("--ssot", ssot.toString(),
        "--runtime", runtimeUri(), "--proxy", proxyUri));
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }

  String[] deployArgs(String tag) {
    // --keep-images: the example images are shared with other tests; never prune them.
    return fleetArgs("deploy", project, "--env", ENV, "--image", image(tag), "--host", host,
        "--drain", "200ms", "--health-timeout", "20s", "--health-interval", "100ms",
        "--keep-images", "10", "--json");
  }

  WeRunner.Result deploy(String tag) {
    return WeRunner.run(environment(), deployArgs(tag));
  }

  String nobody() {
    return project + "-nobody";
  }

  static String body(String tag) {
    return "hello from " + tag;
  }

  void reportDeployTime(String what, JsonNode result) {
    System.out.println("E2E-DEPLOY-MS: " + runtimeUri() + " " + what + ": "
        + result.get("elapsedMs").asLong() + " ms");
  }

  void assertInRange(int port) {
    assertTrue(port >= rangeStart && port < rangeStart + RANGE_SIZE,
        "port " + port + " outside this test's SSOT range");
  }

  /** Requests through Caddy, new connections and one kept-alive one, all answer {@code tag}. */
  void assertServes(String tag) throws IOException {
    for (int i = 0; i < 3; i++) {
      ProxyTraffic.Answer a = ProxyTraffic.get(caddyPort, host, "/");
      assertEquals(200, a.status(), a.toString());
      assertEquals(body(tag), a.body());
    }
    try (ProxyTraffic.KeepAlive kept = new ProxyTraffic.KeepAlive(caddyPort, host)) {
      for (int i = 0; i < 3; i++) {
        ProxyTraffic.Answer a = kept.get("/");
        assertEquals(200, a.status(), a.toString());
        assertEquals(body(tag), a.body());
      }
    }
  }

  ProxyTraffic.Load load(ProxyTraffic.Load load) {
    toClose.add(load);
    return load;
  }

  JsonNode slots() {
    return we("slot", project, "--env", ENV, "--json").expect(0).json();
  }

  JsonNode awaitSlots(java.util.function.Predicate<JsonNode> done) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    JsonNode slot = slots();
    while (!done.test(slot) && System.nanoTime() < deadline) {
      pause(250);
      slot = slots();
    }
    return slot;
  }

  String routeUpstream() {
    for (JsonNode r : we("routes", "--json").expect(0).json().get("routes")) {
      if (r.get("id").asText().equals(project + "-" + ENV)) {
        assertEquals(List.of(host), texts(r.get("hosts")));
        return r.get("upstream").asText();
      }
    }
    return fail("no route " + project + "-" + ENV);
  }

  Optional<Route> route(String p) {
    try (ReverseProxy proxy = providers().reverseProxy(proxyUri)) {
      return proxy.route(p + "-" + ENV);
    }
  }

  List<ContainerInfo> containers(String p) {
    try (ContainerRuntime runtime = providers().containerRuntime(runtimeUri())) {
      return runtime.list(Map.of("codeb.project", p));
    }
  }

  /** Container id to state, image and release label: what must not change. */
  Map<String, String> containerStates(String p) {
    return containers(p).stream().collect(Collectors.toMap(c -> c.id().value(),
        c -> c.state() + " " + c.image() + " " + c.labels().get("codeb.release"),
        (x, y) -> x, TreeMap::new));
  }

  boolean lockIsFree() {
    return we("lock", "show", project, "--env", ENV, "--json").expect(0).json()
        .get("lock").isNull();
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
