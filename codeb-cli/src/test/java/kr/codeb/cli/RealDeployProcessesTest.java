package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.Test;

/**
 * A web + worker project on the real Docker engine behind the real Caddy, declared in the config
 * file's {@code projects:}: every process starts with the release, a worker whose health command
 * fails keeps traffic (under load, no request lost) on the old release, and a rollback brings
 * the old release's workers back.
 */
class RealDeployProcessesTest extends RealDeployHarness {
  /** Marks itself ready, then runs until SIGTERM (busybox sh as PID 1 needs the trap). */
  static final String WORK = "echo worker up; : > /tmp/ready; trap 'exit 0' TERM;"
      + " while true; do sleep 1; done";

  @Override
  protected String runtimeUri() {
    String dockerHost = TestEngines.require("CODEB_TEST_DOCKER_HOST").strip();
    return dockerHost.startsWith("docker") ? dockerHost : "docker+" + dockerHost;
  }

  @Override
  protected String image(String tag) {
    return TestEngines.require("CODEB_TEST_EXAMPLE_IMAGE").strip() + ":" + tag;
  }

  @Override
  protected int portRangeStart() {
    return 46700;
  }

  /** A config file declaring a web + worker project; the worker's health command is given. */
  Path config(String name, String health) {
    return WeRunner.write(dir.resolve(name + ".yaml"), String.join("\n",
        "projects:",
        "  " + project + ":",
        "    processes:",
        "      worker:",
        "        command: \"" + WORK + "\"",
        "        count: 2",
        "        health: [sh, -c, '" + health + "']",
        "").getBytes(StandardCharsets.UTF_8));
  }

  WeRunner.Result deployWith(Path config, String tag, String healthTimeout) {
    List<String> args = new ArrayList<>(List.of("--config", config.toString()));
    args.addAll(List.of(deployArgs(tag)));
    args.set(args.indexOf("20s"), healthTimeout);
    return WeRunner.run(environment(), args.toArray(String[]::new));
  }

  /** Worker container name to its state and release label, for both slots. */
  Map<String, String> workers() {
    Map<String, String> out = new TreeMap<>();
    for (JsonNode slot : slots().get("slots")) {
      for (JsonNode w : slot.get("workers")) {
        out.put(w.get("name").asText().replace(project + "-" + ENV + "-", ""),
            w.get("state").asText());
      }
    }
    return out;
  }

  @Test
  void workersFollowTheirReleaseThroughDeployAndRollback() throws IOException {
    Path good = config("good", "test -f /tmp/ready");
    JsonNode v1 = deployWith(good, "v1", "20s").expect(0).json();
    assertEquals("deployed", v1.get("outcome").asText(), v1.toString());
    assertServes("v1");
    assertEquals(Map.of("blue-worker-1", "running", "blue-worker-2", "running"), workers());

    JsonNode v2 = deployWith(good, "v2", "20s").expect(0).json();
    assertEquals("green", v2.get("slot").asText(), v2.toString());
    assertServes("v2");
    assertEquals(Map.of("blue-worker-1", "exited", "blue-worker-2", "exited",
        "green-worker-1", "running", "green-worker-2", "running"), workers());
    String logs = we("logs", project, "--env", ENV, "--process", "worker-2", "--tail", "5")
        .expect(0).out();
    assertTrue(logs.contains("worker up"), logs);

    we("--config", good.toString(), "rollback", project, "--env", ENV).expect(0);
    assertServes("v1");
    assertEquals(Map.of("blue-worker-1", "running", "blue-worker-2", "running",
        "green-worker-1", "exited", "green-worker-2", "exited"), workers());
  }

  @Test
  void aWorkerFailingItsHealthNeverSwitchesAndLosesNoRequest() throws IOException {
    deployWith(config("good", "test -f /tmp/ready"), "v1", "20s").expect(0);
    assertServes("v1");
    String blueUpstream = routeUpstream();

    ProxyTraffic.Load fresh = load(ProxyTraffic.Load.newConnections(caddyPort, host,
        Set.of(body("v1"))));
    ProxyTraffic.Load kept = load(ProxyTraffic.Load.keepAlive(caddyPort, host,
        Set.of(body("v1"))));
    pause(300);
    WeRunner.Result r = deployWith(config("sick", "echo queue unreachable; exit 1"), "v2", "3s")
        .expect(1);
    pause(500);
    fresh.close();
    kept.close();

    JsonNode j = r.json();
    assertEquals("failed", j.get("outcome").asText(), j.toString());
    assertEquals("blue", j.get("live").asText(), j.toString());
    String reason = j.get("reason").asText();
    assertTrue(reason.contains("worker-1") && reason.contains("queue unreachable"), reason);
    System.out.println("E2E-WORKER-GATE: " + reason + "; " + fresh.summary() + "; "
        + kept.summary());
    for (ProxyTraffic.Load load : List.of(fresh, kept)) {
      assertTrue(load.total.get() >= 10, load.summary());
      assertEquals(0, load.wrong.get(), load.summary());
      assertEquals(0, load.badStatus.get(), load.summary());
      assertEquals(0, load.errors.get(), load.summary());
      assertEquals(load.total.get(), load.good.get() + load.stale.get(), load.summary());
    }
    assertServes("v1");
    assertEquals(blueUpstream, routeUpstream());
    assertEquals(Map.of("blue-worker-1", "running", "blue-worker-2", "running",
        "green-worker-1", "exited", "green-worker-2", "exited"), workers());
    JsonNode green = slots().get("slots").get(1);
    assertTrue(!green.at("/container/state").asText().equals("running"), green.toString());
  }
}
