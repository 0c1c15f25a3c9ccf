package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import kr.codeb.proxy.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Blue-green deploys through the {@code we} CLI (in-process, {@link Main#run}) against a real
 * container engine and the real Caddy: traffic is checked by sending requests through Caddy
 * with the project's host name. A subclass names the engine ({@link #runtimeUri()}) and the
 * example app's images ({@link #image(String)}); the Docker and the Podman variants run the
 * same scenarios.
 *
 * <p>The engines are shared with other tests: every test uses a project of its own
 * ({@code e2e-XXXX}, host {@code e2e-XXXX.test}), an SSOT temp file whose only range is the
 * subclass's own ({@link #portRangeStart()}, 100 ports), and removes every container labelled
 * with its project and its Caddy route afterwards, failed or not.
 */
abstract class RealDeployScenarios extends RealDeployHarness {
  @Test
  void blueGreenLifecycleThroughCaddy() throws IOException {
    JsonNode v1 = deploy("v1").expect(0).json();
    assertEquals("deployed", v1.get("outcome").asText(), v1.toString());
    assertEquals("blue", v1.get("slot").asText());
    assertEquals("blue", v1.get("live").asText());
    assertEquals(image("v1"), v1.get("image").asText());
    int bluePort = v1.get("port").asInt();
    assertInRange(bluePort);
    assertTrue(v1.get("reason").isNull() && v1.get("logTail").isNull(), v1.toString());
    reportDeployTime("first deploy (v1 to blue, first allocation)", v1);
    assertServes("v1");

    JsonNode v2 = deploy("v2").expect(0).json();
    assertEquals("deployed", v2.get("outcome").asText(), v2.toString());
    assertEquals("green", v2.get("slot").asText());
    assertEquals("green", v2.get("live").asText());
    int greenPort = v2.get("port").asInt();
    assertInRange(greenPort);
    assertNotEquals(bluePort, greenPort);
    reportDeployTime("second deploy (v2 to green)", v2);
    assertServes("v2");
    assertEquals("127.0.0.1:" + greenPort, routeUpstream());

    JsonNode back = we("rollback", project, "--env", ENV, "--json").expect(0).json();
    assertEquals("green", back.get("from").asText(), back.toString());
    assertEquals("blue", back.get("to").asText());
    assertEquals(bluePort, back.get("port").asInt());
    assertEquals(image("v1"), back.get("image").asText());
    assertTrue(back.get("changed").asBoolean());
    assertServes("v1");

    JsonNode promoted = we("promote", project, "--env", ENV, "--slot", "green", "--json")
        .expect(0).json();
    assertEquals("blue", promoted.get("from").asText(), promoted.toString());
    assertEquals("green", promoted.get("to").asText());
    assertEquals(image("v2"), promoted.get("image").asText());
    assertTrue(promoted.get("changed").asBoolean());
    assertServes("v2");
    assertEquals("127.0.0.1:" + greenPort, routeUpstream());

    // Both slots, their images, their health (the engine's HEALTHCHECK runs every 5 s, so
    // wait for its first verdict) and which one is live.
    JsonNode slot = awaitSlots(s -> s.get("slots").findValues("health").stream()
        .allMatch(h -> h.asText().equals("healthy")));
    assertEquals("green", slot.get("live").asText(), slot.toString());
    assertEquals(List.of(host), texts(slot.get("hosts")));
    JsonNode blue = slot.get("slots").get(0);
    JsonNode green = slot.get("slots").get(1);
    assertEquals("blue", blue.get("slot").asText());
    assertEquals(bluePort, blue.get("port").asInt());
    assertFalse(blue.get("live").asBoolean());
    assertEquals(image("v1"), blue.at("/container/image").asText());
    assertEquals("running", blue.at("/container/state").asText());
    assertEquals("healthy", blue.at("/container/health").asText());
    assertEquals(project + "-" + ENV + "-blue", blue.at("/container/name").asText());
    assertEquals(v1.get("release").asText(), blue.get("release").asText());
    assertEquals("green", green.get("slot").asText());
    assertEquals(greenPort, green.get("port").asInt());
    assertTrue(green.get("live").asBoolean());
    assertEquals(image("v2"), green.at("/container/image").asText());
    assertEquals("running", green.at("/container/state").asText());
    assertEquals("healthy", green.at("/container/health").asText());
    assertEquals(v2.get("release").asText(), green.get("release").asText());
    List<String> outcomes = slot.get("history").findValues("outcome").stream()
        .map(JsonNode::asText).toList();
    assertEquals(List.of("deployed", "deployed", "rolled-back", "promoted"), outcomes);

    JsonNode health = we("health", project, "--env", ENV, "--json").expect(0).json();
    assertTrue(health.get("healthy").asBoolean(), health.toString());
    assertEquals("green", health.get("slot").asText());
    assertEquals(greenPort, health.get("port").asInt());
    assertEquals(200, health.get("status").asInt());
    assertEquals("/health", health.get("path").asText());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"broken", "crash"})
  void aFailingImageNeverTakesTraffic(String tag) throws IOException {
    deploy("v1").expect(0);
    assertServes("v1");
    JsonNode before = slots();
    String liveId = before.get("slots").get(0).at("/container/id").asText();
    assertFalse(liveId.isBlank(), before.toString());

    ProxyTraffic.Load fresh = load(ProxyTraffic.Load.newConnections(caddyPort, host,
        Set.of(body("v1"))));
    ProxyTraffic.Load kept = load(ProxyTraffic.Load.keepAlive(caddyPort, host,
        Set.of(body("v1"))));
    pause(300);
    WeRunner.Result r = deploy(tag).expect(1);
    pause(500); // and after the attempt
    fresh.close();
    kept.close();

    JsonNode j = r.json();
    assertEquals("failed", j.get("outcome").asText(), j.toString());
    assertEquals("green", j.get("slot").asText());
    assertEquals("blue", j.get("live").asText());
    assertEquals(image(tag), j.get("image").asText());
    assertTrue(j.get("reason").isTextual() && !j.get("reason").asText().isBlank(), j.toString());
    assertTrue(j.get("logTail").isTextual(), j.toString());
    if (tag.equals("crash")) {
      assertTrue(j.get("reason").asText().contains("exit"), j.toString());
      assertTrue(j.get("logTail").asText().contains("example app exiting at once"), j.toString());
    }
    System.out.println("E2E-FAILED-DEPLOY: " + runtimeUri() + " image " + tag + ": reason '"
        + j.get("reason").asText() + "' after " + j.get("elapsedMs").asLong() + " ms; "
        + fresh.summary() + "; " + kept.summary());

    for (ProxyTraffic.Load load : List.of(fresh, kept)) {
      assertTrue(load.total.get() >= 10, load.summary());
      assertEquals(0, load.wrong.get(), load.summary());
      assertEquals(0, load.badStatus.get(), load.summary());
      assertEquals(0, load.errors.get(), load.summary());
      assertEquals(load.total.get(), load.good.get() + load.stale.get(), load.summary());
    }
    // Nothing in Caddy changes during a failed deploy, so even a kept-alive connection is
    // never closed under the client (unless another test's config change reloads Caddy).
    assertTrue(kept.stale.get() <= 2, kept.summary());

    assertServes("v1");
    assertEquals("127.0.0.1:" + before.get("slots").get(0).get("port").asInt(), routeUpstream());
    JsonNode after = slots();
    assertEquals("blue", after.get("live").asText(), after.toString());
    JsonNode blue = after.get("slots").get(0);
    assertEquals(liveId, blue.at("/container/id").asText(), "the live container was replaced");
    assertEquals("running", blue.at("/container/state").asText());
    assertEquals(image("v1"), blue.at("/container/image").asText());
    JsonNode green = after.get("slots").get(1);
    assertEquals(image(tag), green.at("/container/image").asText(), after.toString());
    assertNotEquals("running", green.at("/container/state").asText(),
        "the failed container must be stopped: " + after);
    JsonNode last = after.get("history").get(after.get("history").size() - 1);
    assertEquals("failed", last.get("outcome").asText(), after.toString());
    assertFalse(last.get("message").asText().isBlank(), after.toString());
  }

  @Test
  void twoDeploysAtOnceExactlyOneProceeds() throws Exception {
    deploy("v1").expect(0);
    String[] actors = {"e2e-deployer-a-" + project, "e2e-deployer-b-" + project};
    String[] tags = {"v2", "v3"};
    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<WeRunner.Result>> runs = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        String actor = actors[i];
        String[] args = deployArgs(tags[i]);
        runs.add(pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          Map<String, String> env = new java.util.HashMap<>(environment());
          env.put("CODEB_ACTOR", actor);
          return WeRunner.run(env, args);
        }));
      }
      WeRunner.Result a = runs.get(0).get(60, TimeUnit.SECONDS);
      WeRunner.Result b = runs.get(1).get(60, TimeUnit.SECONDS);
      List<Integer> codes = List.of(a.code(), b.code());
      assertTrue(codes.equals(List.of(0, 1)) || codes.equals(List.of(1, 0)),
          "exactly one deploy must proceed: " + codes + "\nA: " + a.out() + a.err() + "\nB: "
              + b.out() + b.err());
      int winner = a.code() == 0 ? 0 : 1;
      WeRunner.Result won = winner == 0 ? a : b;
      WeRunner.Result lost = winner == 0 ? b : a;
      assertEquals("deployed", won.json().get("outcome").asText(), won.out());
      JsonNode error = lost.errorJson().get("error");
      assertEquals("conflict", error.get("kind").asText(), lost.err());
      assertTrue(error.get("message").asText().contains(actors[winner]),
          "the loser must name the holder " + actors[winner] + ": " + lost.err());
      assertTrue(lost.out().isBlank(), lost.out());
      assertServes(tags[winner]);
      JsonNode slot = slots();
      assertEquals(image(tags[winner]), slot.get("slots").get(1).at("/container/image").asText());
      assertTrue(slot.get("history").findValues("image").stream()
          .noneMatch(i -> i.asText().equals(image(tags[1 - winner]))),
          "the loser must not have written history: " + slot);
      assertTrue(lockIsFree(), "the lock must be released");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void badInputStartsAndSwitchesNothing() throws IOException {
    // A project that was never deployed: nothing may appear.
    byte[] ssotBefore = WeRunner.bytes(ssot);
    runBadInput(project);
    assertTrue(containers(project).isEmpty(), "a container was started: " + containers(project));
    assertTrue(route(project).isEmpty(), "a route was created: " + route(project));
    assertEquals(new String(ssotBefore, StandardCharsets.UTF_8),
        new String(WeRunner.bytes(ssot), StandardCharsets.UTF_8), "the SSOT was written");

    // A live project: its containers and its route stay exactly as they are.
    deploy("v1").expect(0);
    Map<String, String> containersBefore = containerStates(project);
    Optional<Route> routeBefore = route(project);
    assertTrue(routeBefore.isPresent());
    byte[] ssotLive = WeRunner.bytes(ssot);
    runBadInput(project);
    assertEquals(containersBefore, containerStates(project));
    assertEquals(routeBefore, route(project));
    assertEquals(new String(ssotLive, StandardCharsets.UTF_8),
        new String(WeRunner.bytes(ssot), StandardCharsets.UTF_8), "the SSOT was written");
    assertTrue(containers(nobody()).isEmpty());
    assertTrue(route(nobody()).isEmpty());
    assertServes("v1");
  }

  void runBadInput(String p) {
    boolean deployed = !containers(p).isEmpty();
    List<String[]> cases = new ArrayList<>();
    cases.add(new String[] {"promote", nobody(), "--env", ENV});
    cases.add(new String[] {"rollback", nobody(), "--env", ENV});
    if (!deployed) {
      cases.add(new String[] {"promote", p, "--env", ENV});
      cases.add(new String[] {"promote", p, "--env", ENV, "--slot", "green"});
    }
    cases.add(withDeploy(p, "--image", image("v2").replace(":", " :")));
    cases.add(withDeploy(p, "--image", image("v2") + " latest"));
    cases.add(withDeploy(p, "--image", image("v2"), "--health-path", "health"));
    cases.add(withDeploy(p, "--image", image("v2"), "--port", "0"));
    cases.add(withDeploy(p, "--image", image("v2"), "--port", "70000"));
    cases.add(new String[] {"deploy", p, "--env", "staging", "--image", image("v2"),
        "--host", host});
    cases.add(new String[] {"promote", p, "--env", "staging"});
    for (String[] args : cases) {
      List<String> all = new ArrayList<>(Arrays.asList(args));
      all.add("--json");
      WeRunner.Result r = we(all.toArray(String[]::new));
      assertEquals(2, r.code(), () -> String.join(" ", args) + "\nstdout: " + r.out()
          + "\nstderr: " + r.err());
      assertEquals("invalid-request", r.errorJson().at("/error/kind").asText(), r.err());
      assertFalse(r.errorJson().at("/error/message").asText().isBlank(), r.err());
    }
  }

  String[] withDeploy(String p, String... more) {
    List<String> all = new ArrayList<>(List.of("deploy", p, "--env", ENV, "--host", host,
        "--drain", "200ms", "--health-timeout", "20s", "--health-interval", "100ms"));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void trafficDuringRepeatedSwitches() throws IOException {
    deploy("v1").expect(0);
    assertServes("v1");
    Set<String> versions = Set.of(body("v1"), body("v2"));
    ProxyTraffic.Load fresh = load(ProxyTraffic.Load.newConnections(caddyPort, host, versions));
    ProxyTraffic.Load kept = load(ProxyTraffic.Load.keepAlive(caddyPort, host, versions));
    long t0 = System.nanoTime();
    List<Long> deployMs = new ArrayList<>();
    Map<String, Integer> ops = new TreeMap<>();
    pause(300);
    List<String> timeline = new ArrayList<>(); // when each operation ran, on fresh's clock
    for (int i = 0; i < 5; i++) {
      String tag = i % 2 == 0 ? "v2" : "v1";
      long at = fresh.millis();
      JsonNode d = deploy(tag).expect(0).json();
      assertEquals("deployed", d.get("outcome").asText(), d.toString());
      timeline.add("deploy " + tag + " " + at + "-" + fresh.millis());
      deployMs.add(d.get("elapsedMs").asLong());
      ops.merge("deploy", 1, Integer::sum);
      at = fresh.millis();
      assertTrue(we("promote", project, "--env", ENV, "--json").expect(0).json()
          .get("changed").asBoolean());
      timeline.add("promote " + at + "-" + fresh.millis());
      ops.merge("promote", 1, Integer::sum);
      at = fresh.millis();
      assertTrue(we("rollback", project, "--env", ENV, "--json").expect(0).json()
          .get("changed").asBoolean());
      timeline.add("rollback " + at + "-" + fresh.millis());
      ops.merge("rollback", 1, Integer::sum);
    }
    pause(300);
    fresh.close();
    kept.close();
    long millis = (System.nanoTime() - t0) / 1_000_000;
    System.out.println("E2E-TRAFFIC: runtime=" + runtimeUri() + " ops=" + ops + " in "
        + millis + " ms; new-connection total=" + fresh.total.get() + " failed="
        + fresh.failed() + "; keep-alive total=" + kept.total.get() + " failed=" + kept.failed()
        + "; deploy elapsedMs=" + deployMs);
    System.out.println("E2E-TRAFFIC-DETAIL: " + fresh.summary());
    System.out.println("E2E-TRAFFIC-DETAIL: " + kept.summary());
    System.out.println("E2E-TRAFFIC-DETAIL: operations (ms on the new-connection client's clock;"
        + " the keep-alive client started a moment later): " + timeline);
    for (ProxyTraffic.Load load : List.of(fresh, kept)) {
      assertTrue(load.total.get() >= 20, load.summary());
      assertEquals(0, load.wrong.get(), "an answer that is no deployed version: "
          + load.summary());
      if (zeroDropSwitch()) {
        assertEquals(0, load.failed(), "this switch must lose no request: " + load.summary());
      }
    }
  }

  // ---------------------------------------------------------------------------------------
  // Helpers

  /** {@code we} with this test's --ssot, --runtime and --proxy in front. */
}
