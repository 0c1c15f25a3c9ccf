package kr.codeb.cli;

import static kr.codeb.cli.DeployFleet.CRASHING;
import static kr.codeb.cli.DeployFleet.GOOD_V1;
import static kr.codeb.cli.DeployFleet.GOOD_V2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.ReleaseStore;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ssot.FileReleaseStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy, slot, promote, rollback, health, routes and lock against the in-memory engines. */
class DeployCommandsTest {
  private static final DeployKey ACME =
      new DeployKey(new ProjectName("acme"), new Environment("production"));

  @TempDir Path dir;
  DeployFleet fleet;

  @AfterEach
  void stopContainers() {
    fleet.removeContainers();
  }

  @BeforeEach
  void fleet() {
    fleet = new DeployFleet(dir);
  }

  @Test
  void blueGreenLifecycle() {
    JsonNode v1 = fleet.deploy(GOOD_V1).expect(0).json();
    assertEquals("acme", v1.get("project").asText());
    assertEquals("production", v1.get("environment").asText());
    assertEquals("deployed", v1.get("outcome").asText());
    assertEquals("blue", v1.get("slot").asText());
    assertEquals("blue", v1.get("live").asText());
    assertEquals(4104, v1.get("port").asInt());
    assertEquals(GOOD_V1, v1.get("image").asText());
    assertFalse(v1.get("release").asText().isBlank());
    assertTrue(v1.get("reason").isNull());
    assertTrue(v1.get("logTail").isNull());
    assertTrue(v1.get("elapsedMs").isIntegralNumber());

    WeRunner.Result second = fleet.deploy(GOOD_V2).expect(0);
    JsonNode v2 = second.json();
    assertEquals("green", v2.get("slot").asText());
    assertEquals("green", v2.get("live").asText());
    assertEquals(4105, v2.get("port").asInt());
    assertTrue(second.err().contains("has no host names yet"), second.err());
    assertTrue(second.err().contains("acme-production"), second.err());

    JsonNode slot = fleet.we("slot", "acme", "--env", "production", "--json").expect(0).json();
    assertEquals("green", slot.get("live").asText());
    assertEquals(0, slot.get("hosts").size());
    JsonNode blue = slot.get("slots").get(0);
    JsonNode green = slot.get("slots").get(1);
    assertEquals("blue", blue.get("slot").asText());
    assertEquals(4104, blue.get("port").asInt());
    assertFalse(blue.get("live").asBoolean());
    assertEquals(GOOD_V1, blue.at("/container/image").asText());
    assertEquals("running", blue.at("/container/state").asText());
    assertEquals(v1.get("release").asText(), blue.get("release").asText());
    assertTrue(green.get("live").asBoolean());
    assertEquals(GOOD_V2, green.at("/container/image").asText());
    assertEquals(v2.get("release").asText(), green.get("release").asText());
    JsonNode history = slot.get("history");
    assertEquals(2, history.size());
    assertEquals("deployed", history.get(1).get("outcome").asText());
    assertEquals(GOOD_V2, history.get(1).get("image").asText());
    assertEquals("green", history.get(1).get("slot").asText());
    assertEquals(4105, history.get(1).get("port").asInt());
    assertEquals("", history.get(1).get("message").asText());

    String human = fleet.we("slot", "acme", "--env", "production").expect(0).out();
    assertTrue(human.contains("live green"), human);
    assertTrue(human.contains(GOOD_V1) && human.contains(GOOD_V2), human);

    JsonNode back = fleet.we("rollback", "acme", "--env", "production", "--json").expect(0).json();
    assertEquals("green", back.get("from").asText());
    assertEquals("blue", back.get("to").asText());
    assertEquals(4104, back.get("port").asInt());
    assertEquals(GOOD_V1, back.get("image").asText());
    assertTrue(back.get("changed").asBoolean());
    assertEquals("127.0.0.1:4104", routeUpstream());

    JsonNode promoted = fleet.we("promote", "acme", "--env", "production", "--slot", "green",
        "--json").expect(0).json();
    assertEquals("blue", promoted.get("from").asText());
    assertEquals("green", promoted.get("to").asText());
    assertTrue(promoted.get("changed").asBoolean());
    assertEquals("127.0.0.1:4105", routeUpstream());
    JsonNode again = fleet.we("promote", "acme", "--env", "production", "--slot", "green",
        "--json").expect(0).json();
    assertFalse(again.get("changed").asBoolean());

    JsonNode health = fleet.we("health", "acme", "--env", "production", "--json").expect(0).json();
    assertTrue(health.get("healthy").asBoolean());
    assertEquals(200, health.get("status").asInt());
    assertEquals("green", health.get("slot").asText());
    assertEquals(4105, health.get("port").asInt());
    assertEquals("/health", health.get("path").asText());

    JsonNode history2 = fleet.we("slot", "acme", "--env", "production", "--json").expect(0)
        .json().get("history");
    assertEquals("promoted", history2.get(history2.size() - 1).get("outcome").asText());
    assertEquals("rolled-back", history2.get(history2.size() - 2).get("outcome").asText());
  }

  private String routeUpstream() {
    JsonNode routes = fleet.we("routes", "--json").expect(0).json().get("routes");
    assertEquals(1, routes.size(), routes.toString());
    assertEquals("acme-production", routes.get(0).get("id").asText());
    return routes.get(0).get("upstream").asText();
  }

  @Test
  void hostsGoOnTheRoute() {
    WeRunner.Result r = fleet.deploy(GOOD_V1, "--host", "acme.example.com").expect(0);
    assertFalse(r.err().contains("no host names"), r.err());
    JsonNode route = fleet.we("routes", "--json").expect(0).json().get("routes").get(0);
    assertEquals("acme.example.com", route.get("hosts").get(0).asText());
    assertEquals("127.0.0.1:4104", route.get("upstream").asText());
  }

  @Test
  void theProxyDialsTheSingleAppServersPrivateAddressUnlessItIsAlsoTheEdge() {
    Path config = WeRunner.write(dir.resolve("we.yaml"), ("servers:\n"
        + "  - {name: app1, roles: [app], public: 203.0.113.10, private: 10.0.0.10}\n"
        + "  - {name: edge, roles: [edge], public: 203.0.113.20, private: 10.0.0.20}\n")
        .getBytes(StandardCharsets.UTF_8));
    fleet.deploy(GOOD_V1, "--config", config.toString()).expect(0);
    assertEquals("10.0.0.10:4104", routeUpstream());

    WeRunner.write(config, ("servers:\n"
        + "  - {name: app1, roles: [app, edge], public: 203.0.113.10, private: 10.0.0.10}\n")
        .getBytes(StandardCharsets.UTF_8));
    fleet.deploy(GOOD_V2, "--config", config.toString()).expect(0);
    assertEquals("127.0.0.1:4105", routeUpstream());
  }

  @Test
  void aFailingImageExitsOneAndLeavesTheLiveSlot() {
    fleet.deploy(GOOD_V1).expect(0);
    WeRunner.Result r = fleet.deploy(CRASHING).expect(1);
    JsonNode j = r.json();
    assertEquals("failed", j.get("outcome").asText());
    assertEquals("green", j.get("slot").asText());
    assertEquals("blue", j.get("live").asText());
    assertFalse(j.get("reason").asText().isBlank());
    assertTrue(j.get("logTail").isTextual());
    assertEquals("127.0.0.1:4104", routeUpstream());
    assertEquals("blue", fleet.we("slot", "acme", "--env", "production", "--json").expect(0)
        .json().get("live").asText());

    WeRunner.Result human = fleet.we("deploy", "acme", "--env", "production", "--image",
        CRASHING, "--drain", "0s", "--health-timeout", "10s").expect(1);
    assertTrue(human.err().contains("deploy failed"), human.err());
    assertTrue(human.err().contains("traffic stays on blue"), human.err());
    assertTrue(human.out().contains("failed"), human.out());
  }

  @Test
  void aStagedDeployDoesNotSwitch() {
    fleet.deploy(GOOD_V1).expect(0);
    JsonNode j = fleet.deploy(GOOD_V2, "--no-switch").expect(0).json();
    assertEquals("staged", j.get("outcome").asText());
    assertEquals("green", j.get("slot").asText());
    assertEquals("blue", j.get("live").asText());
    assertEquals("127.0.0.1:4104", routeUpstream());
    assertEquals("green", fleet.we("promote", "acme", "--env", "production", "--json")
        .expect(0).json().get("to").asText());
  }

  @Test
  void secretsFromTheEnvFileArePrintedNowhere() {
    String secret = "s3cr3t-" + Long.toHexString(System.nanoTime());
    Path envFile = WeRunner.writePrivate(dir.resolve("app.env"), ("# the app's secrets\n\n"
        + "DB_PASSWORD=" + secret + "\nexport TOKEN='" + secret + "'\n")
        .getBytes(StandardCharsets.UTF_8));
    for (String image : new String[] {GOOD_V1, CRASHING}) {
      WeRunner.Result j = fleet.deploy(image, "--env-file", envFile.toString(),
          "-e", "OTHER=" + secret + "x").expect(image.equals(GOOD_V1) ? 0 : 1);
      assertFalse(j.out().contains(secret), j.out());
      assertFalse(j.err().contains(secret), j.err());
      WeRunner.Result h = fleet.we("deploy", "acme", "--env", "production", "--image", image,
          "--drain", "0s", "--health-timeout", "10s", "--env-file", envFile.toString())
          .expect(image.equals(GOOD_V1) ? 0 : 1);
      assertFalse(h.out().contains(secret), h.out());
      assertFalse(h.err().contains(secret), h.err());
    }
  }

  @Test
  void aHeldLockFailsTheDeployNamingTheHolderUntilItIsBroken() {
    try (ReleaseStore store = FileReleaseStore.besideSsot(fleet.ssot)) {
      assertTrue(store.tryLock(ACME, "alice@ci-runner pid 4242", Duration.ofMinutes(10))
          .isPresent());
    }
    WeRunner.Result r = fleet.deploy(GOOD_V1).expect(1);
    assertEquals("conflict", r.errorJson().at("/error/kind").asText());
    assertTrue(r.err().contains("alice@ci-runner pid 4242"), r.err());
    assertEquals("", r.out());
    assertTrue(fleet.containers().isEmpty(), "nothing started under a held lock");

    JsonNode shown = fleet.we("lock", "show", "acme", "--env", "production", "--json")
        .expect(0).json();
    assertEquals("alice@ci-runner pid 4242", shown.at("/lock/holder").asText());
    assertFalse(shown.at("/lock/expired").asBoolean());
    assertFalse(shown.at("/lock/acquired").asText().isBlank());
    assertTrue(fleet.we("lock", "show", "acme", "--env", "production").expect(0).out()
        .contains("locked by alice@ci-runner pid 4242"));

    JsonNode broken = fleet.we("lock", "break", "acme", "--env", "production", "--json")
        .expect(0).json();
    assertTrue(broken.get("broken").asBoolean());
    assertFalse(fleet.we("lock", "break", "acme", "--env", "production", "--json").expect(0)
        .json().get("broken").asBoolean());
    assertTrue(fleet.we("lock", "show", "acme", "--env", "production", "--json").expect(0)
        .json().get("lock").isNull());

    assertEquals("deployed", fleet.deploy(GOOD_V1).expect(0).json().get("outcome").asText());
    assertTrue(fleet.we("lock", "show", "acme", "--env", "production", "--json").expect(0)
        .json().get("lock").isNull(), "the deploy gives its lock back");
  }

  @Test
  void theLockNamesItsProcessAndShowsWhetherItStillRuns() throws Exception {
    Process gone = new ProcessBuilder("sleep", "30").start();
    String started = gone.info().startInstant().orElseThrow().toString();
    gone.destroyForcibly().waitFor();
    String dead = "alice@ci pid " + gone.pid() + " on " + kr.codeb.deploy.Actor.host()
        + " started " + started;
    try (ReleaseStore store = FileReleaseStore.besideSsot(fleet.ssot)) {
      assertTrue(store.tryLock(ACME, dead, Duration.ofMinutes(10)).isPresent());
    }
    JsonNode shown = fleet.we("lock", "show", "acme", "--env", "production", "--json")
        .expect(0).json();
    assertFalse(shown.at("/lock/holderAlive").asBoolean(true), shown.toString());
    assertTrue(shown.at("/lock/stale").asBoolean(), shown.toString());
    assertTrue(fleet.we("lock", "show", "acme", "--env", "production").expect(0).out()
        .contains("stale: the holder (pid " + gone.pid() + ") no longer runs on this host"));
    WeRunner.Result refused = fleet.deploy(GOOD_V1).expect(1);
    assertTrue(refused.err().contains("stale: that process no longer runs on this host"),
        refused.err());
    assertTrue(fleet.containers().isEmpty(), "a stale lock is not taken over");
    fleet.we("lock", "break", "acme", "--env", "production").expect(0);

    try (ReleaseStore store = FileReleaseStore.besideSsot(fleet.ssot)) {
      assertTrue(store.tryLock(ACME, kr.codeb.deploy.LockHolder.describe("bob@ci"),
          Duration.ofMinutes(10)).isPresent());
    }
    JsonNode live = fleet.we("lock", "show", "acme", "--env", "production", "--json")
        .expect(0).json();
    assertTrue(live.at("/lock/holder").asText().startsWith("bob@ci pid "
        + ProcessHandle.current().pid() + " on "), live.toString());
    assertTrue(live.at("/lock/holderAlive").asBoolean(), live.toString());
    assertFalse(live.at("/lock/stale").asBoolean(), live.toString());
  }

  @Test
  void anIdleSlotLeftEmptyIsShownAsSuchAndTheNextDeployFillsIt() {
    fleet.deploy(GOOD_V1).expect(0);
    fleet.deploy(GOOD_V2).expect(0);
    // What a deploy killed between removing the idle slot's container and running the new one
    // leaves behind.
    fleet.removeContainer("acme-production-blue");
    String text = fleet.we("slot", "acme", "--env", "production").expect(0).out();
    assertTrue(text.contains("blue: empty: no container (a deploy stopped while replacing it"),
        text);
    JsonNode json = fleet.we("slot", "acme", "--env", "production", "--json").expect(0).json();
    assertTrue(json.at("/slots/0/container").isNull());
    assertTrue(json.at("/slots/0/note").asText().contains("the next deploy fills it"));
    assertTrue(json.at("/slots/1/note").isNull());
    JsonNode next = fleet.deploy(GOOD_V1).expect(0).json();
    assertEquals("blue", next.get("slot").asText());
    assertEquals("deployed", next.get("outcome").asText());
  }
}
