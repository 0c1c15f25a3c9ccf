package kr.codeb.cli;

import static kr.codeb.cli.DeployFleet.GOOD_V1;
import static kr.codeb.cli.DeployFleet.GOOD_V2;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy's environment from the project's env file, on the in-memory engines: the release
 * history records the file and its hash, and a rollback that recreates a release reads the file
 * again and says whether it changed. The containers' environment itself: EnvFleetTest.
 */
class EnvDeployMemTest {
  @TempDir Path dir;
  DeployFleet fleet;
  Map<String, String> env;
  Path envDir;

  @BeforeEach
  void setUp() throws IOException {
    fleet = new DeployFleet(Files.createDirectories(dir.resolve("fleet")));
    envDir = dir.resolve("env");
    Path config = Files.writeString(dir.resolve("we.yaml"), "envDir: " + envDir + "\n");
    env = Map.of("CODEB_CONFIG", config.toString());
  }

  @AfterEach
  void stop() {
    fleet.removeContainers();
  }

  WeRunner.Result deploy(String image) {
    return fleet.we(env, "deploy", "acme", "--env", "production", "--image", image, "--drain",
        "0s", "--health-timeout", "10s", "--json");
  }

  @Test
  void aRollbackThatRecreatesAReleaseSaysTheEnvFileChangedSince() throws IOException {
    deploy(GOOD_V1).expect(0);
    fleet.we(env, "env", "set", "acme", "--env", "production", "A=first-value").expect(0);
    WeRunner.Result v2 = deploy(GOOD_V2).expect(0);
    assertTrue(v2.err().contains("environment from the project's env file this machine:"
        + envDir.resolve("acme-production.env") + " (1 keys)"), v2.err());
    String live = v2.json().get("slot").asText();
    deploy(GOOD_V1).expect(0);
    fleet.we(env, "env", "set", "acme", "--env", "production", "A=second-value").expect(0);
    fleet.removeContainer("acme-production-" + live);

    JsonNode back = fleet.we(env, "rollback", "acme", "--env", "production", "--json")
        .expect(0).json();
    String note = back.get("environmentNote").asText();
    assertTrue(note.contains("recreated with the project's env file this machine:")
        && note.contains("changed since the release"), note);
    assertFalse(back.toString().contains("value"), back.toString());

    // the same content again: the note says so
    deploy(GOOD_V2).expect(0);
    JsonNode v3 = deploy(GOOD_V1).expect(0).json();
    fleet.removeContainer("acme-production-" + (v3.get("slot").asText().equals("blue")
        ? "green" : "blue"));
    JsonNode again = fleet.we(env, "rollback", "acme", "--env", "production", "--json")
        .expect(0).json();
    assertTrue(again.get("environmentNote").asText().contains("the same values"),
        again.toString());
  }

  @Test
  void explicitOptionsStillWorkAndWinKeyByKey() {
    deploy(GOOD_V1).expect(0);
    fleet.we(env, "env", "set", "acme", "--env", "production", "A=1", "B=2").expect(0);
    WeRunner.Result r = fleet.we(env, "deploy", "acme", "--env", "production", "--image",
        GOOD_V2, "--drain", "0s", "-e", "B=3");
    r.expect(0);
    assertTrue(r.err().contains("(2 keys; -e B)"), r.err());
  }
}
