package kr.codeb.cli;

import static kr.codeb.cli.DeployFleet.GOOD_V1;
import static kr.codeb.cli.DeployFleet.GOOD_V2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** we deploy --pre-deploy/--post-deploy against the in-memory engines. */
class DeployHooksCommandTest {
  @TempDir Path dir;
  DeployFleet fleet;

  @BeforeEach
  void fleet() {
    fleet = new DeployFleet(dir);
  }

  @AfterEach
  void stopContainers() {
    fleet.removeContainers();
  }

  @Test
  void aFailingPreDeployHookFailsTheDeployAndKeepsTheLiveSlot() {
    fleet.deploy(GOOD_V1).expect(0);
    WeRunner.Result r = fleet.deploy(GOOD_V2, "--pre-deploy",
        "echo applying 0042; echo duplicate column >&2; exit 5");
    JsonNode j = r.json();
    assertEquals("failed", j.get("outcome").asText(), r.out());
    assertEquals("the pre-deploy hook exited with 5", j.get("reason").asText());
    assertTrue(j.get("logTail").asText().contains("duplicate column"), r.out());
    assertEquals("blue", j.get("live").asText());
    assertTrue(r.err().contains("pre-deploy: applying 0042"), r.err());
    JsonNode slot = fleet.we("slot", "acme", "--env", "production", "--json").expect(0).json();
    assertEquals("blue", slot.get("live").asText());
    assertTrue(slot.get("slots").get(1).get("container").isNull(), slot.toString());
  }

  @Test
  void passingHooksDeploy() {
    fleet.deploy(GOOD_V1).expect(0);
    WeRunner.Result r = fleet.deploy(GOOD_V2, "--pre-deploy", "echo migrated",
        "--post-deploy", "echo warmed", "--hook-timeout", "30s").expect(0);
    assertEquals("deployed", r.json().get("outcome").asText());
    assertTrue(r.err().contains("pre-deploy: migrated") && r.err().contains("post-deploy: warmed"),
        r.err());
  }

  @Test
  void badHookOptionsExit2() {
    WeRunner.Result timeout = fleet.deploy(GOOD_V1, "--pre-deploy", "true", "--hook-timeout",
        "2h").expect(2);
    assertTrue(timeout.err().contains("1 s to 1 h"), timeout.err());
    WeRunner.Result empty = fleet.deploy(GOOD_V1, "--pre-deploy", " ").expect(2);
    assertTrue(empty.err().contains("must not be empty"), empty.err());
    assertEquals(0, fleet.containers().size(), "nothing was started");
  }
}
