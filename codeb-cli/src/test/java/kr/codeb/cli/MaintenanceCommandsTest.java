package kr.codeb.cli;

import static kr.codeb.cli.DeployFleet.GOOD_V1;
import static kr.codeb.cli.DeployFleet.GOOD_V2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** we maintenance on/off and its line in we slot, against the in-memory engines. */
class MaintenanceCommandsTest {
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
  void onAndOffAreIdempotentShownBySlotAndKeptAcrossADeploy() {
    fleet.deploy(GOOD_V1).expect(0);
    JsonNode on = fleet.we("maintenance", "on", "acme", "--env", "production", "--message",
        "Moving the database", "--retry-after", "120", "--json").expect(0).json();
    assertTrue(on.get("changed").asBoolean());
    assertTrue(on.get("maintenance").asBoolean());
    assertEquals(120, on.get("retryAfterSeconds").asInt());
    String again = fleet.we("maintenance", "on", "acme", "--env", "production", "--message",
        "Moving the database", "--retry-after", "120").expect(0).out();
    assertTrue(again.contains("already on"), again);

    String slot = fleet.we("slot", "acme", "--env", "production").expect(0).out();
    assertTrue(slot.contains("maintenance: ON (503, Retry-After 120 s: Moving the database)"),
        slot);
    fleet.deploy(GOOD_V2).expect(0);
    JsonNode m = fleet.we("slot", "acme", "--env", "production", "--json").expect(0).json()
        .get("maintenance");
    assertTrue(m.get("on").asBoolean(), m::toString);
    assertEquals("Moving the database", m.get("message").asText());

    JsonNode off = fleet.we("maintenance", "off", "acme", "--env", "production", "--json")
        .expect(0).json();
    assertTrue(off.get("changed").asBoolean());
    assertFalse(off.get("maintenance").asBoolean());
    assertTrue(fleet.we("maintenance", "off", "acme", "--env", "production").expect(0).out()
        .contains("already off"));
    assertTrue(fleet.we("slot", "acme", "--env", "production").expect(0).out()
        .contains("maintenance: off"));
  }

  @Test
  void badInputIsRefusedAndChangesNothing() {
    fleet.deploy(GOOD_V1).expect(0);
    WeRunner.Result retry = fleet.we("maintenance", "on", "acme", "--env", "production",
        "--retry-after", "-5").expect(2);
    assertTrue(retry.err().contains("0 to 86400"), retry.err());
    WeRunner.Result big = fleet.we("maintenance", "on", "acme", "--env", "production",
        "--retry-after", "999999999999").expect(2);
    assertTrue(big.err().contains("0 to 86400"), big.err());
    WeRunner.Result blank = fleet.we("maintenance", "on", "acme", "--env", "production",
        "--message", " ").expect(2);
    assertTrue(blank.err().contains("maintenance message"), blank.err());
    fleet.we("maintenance", "on", "acme", "--env", "production", "--retry-after", "soon")
        .expect(2);
    assertTrue(fleet.we("slot", "acme", "--env", "production").expect(0).out()
        .contains("maintenance: off"));
    WeRunner.Result none = fleet.we("maintenance", "on", "other", "--env", "production");
    assertTrue(none.code() != 0, none.toString());
  }
}
