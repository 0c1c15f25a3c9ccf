package kr.codeb.cli;

import static kr.codeb.cli.DeployFleet.GOOD_V1;
import static kr.codeb.cli.DeployFleet.GOOD_V2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kr.codeb.runtime.ContainerInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Processes from the config file through deploy, slot, logs and exec on the mem engines. */
class ProcessesCommandsTest {
  @TempDir Path dir;
  DeployFleet fleet;
  Path config;

  @BeforeEach
  void fleet() {
    fleet = new DeployFleet(dir);
    config = WeRunner.write(dir.resolve("we.yaml"), String.join("\n",
        "projects:",
        "  acme:",
        "    processes:",
        "      worker: { command: 'echo worker $APP_MODE; sleep 3600', count: 2,"
            + " health: [sh, -c, 'exit 0'] }",
        "").getBytes(StandardCharsets.UTF_8));
  }

  @AfterEach
  void stopContainers() {
    fleet.removeContainers();
  }

  WeRunner.Result we(String... args) {
    List<String> all = new ArrayList<>(List.of("--config", config.toString()));
    all.addAll(List.of(args));
    return fleet.we(all.toArray(String[]::new));
  }

  WeRunner.Result deploy(String image) {
    return we("deploy", "acme", "--env", "production", "--image", image, "--drain", "0s",
        "--health-timeout", "10s", "-e", "APP_MODE=busy", "--json");
  }

  @Test
  void theConfigsWorkersDeployAndShowInSlotLogsAndExec() {
    deploy(GOOD_V1).expect(0);
    deploy(GOOD_V2).expect(0);
    JsonNode slots = we("slot", "acme", "--env", "production", "--json").expect(0).json();
    JsonNode green = slots.get("slots").get(1);
    assertEquals(2, green.get("workers").size(), slots.toString());
    JsonNode w1 = green.get("workers").get(0);
    assertEquals("acme-production-green-worker-1", w1.get("name").asText());
    assertEquals("worker", w1.get("process").asText());
    assertEquals("running", w1.get("state").asText());
    assertEquals("exited", slots.get("slots").get(0).get("workers").get(0).get("state").asText(),
        "the old release's workers stopped after the drain: " + slots);
    String table = we("slot", "acme", "--env", "production").expect(0).out();
    assertTrue(table.contains("acme-production-green-worker-2"), table);

    assertEquals("worker busy\n", we("logs", "acme", "--env", "production", "--process",
        "worker-2").expect(0).out());
    we("exec", "acme", "--env", "production", "--process", "worker", "--", "sh", "-c",
        "exit 3").expect(3);
    WeRunner.Result missing = we("logs", "acme", "--env", "production", "--process",
        "scheduler").expect(1);
    assertTrue(missing.err().contains("no process scheduler-1"), missing.err());
  }

  @Test
  void aBadDeclarationIsExit2AndStartsNothing() {
    config = WeRunner.write(dir.resolve("bad.yaml"), String.join("\n",
        "projects:",
        "  acme:",
        "    processes:",
        "      web: { count: 3 }",
        "").getBytes(StandardCharsets.UTF_8));
    WeRunner.Result r = deploy(GOOD_V1).expect(2);
    assertTrue(r.err().contains("projects.acme.processes.web")
        && r.err().contains("one container per server"), r.err());
    assertEquals(List.of(), fleet.containers().stream().map(ContainerInfo::name).toList());
  }
}
