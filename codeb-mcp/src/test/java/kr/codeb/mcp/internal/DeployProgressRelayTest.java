package kr.codeb.mcp.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Where a cancellation takes effect in a deploy: at any callback up to and including the one
 * that announces the switch (sent before the proxy is written), never after it.
 */
class DeployProgressRelayTest {
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final DeployProgressRelay relay = new DeployProgressRelay(new ToolCall(null, null,
      null, cancelled, Redaction.ofEnvironment(Map.of())));

  @Test
  void aCancellationBeforeTheContainerStartsStopsTheDeployWithNothingStarted() {
    relay.step("pulling app:1 unless the engine has it");
    cancelled.set(true);
    DeployCancelled c = assertThrows(DeployCancelled.class,
        () -> relay.step("replacing acme-production-green with app:1"));
    assertFalse(c.containerStarted);
  }

  @Test
  void aCancellationDuringTheHealthGateStopsItAndKnowsTheContainerRuns() {
    relay.step("replacing acme-production-green with app:1");
    relay.healthAttempt(1, Duration.ofMillis(100), "HTTP 503");
    cancelled.set(true);
    DeployCancelled c = assertThrows(DeployCancelled.class,
        () -> relay.healthAttempt(2, Duration.ofMillis(200), "HTTP 503"));
    assertTrue(c.containerStarted);
  }

  @Test
  void theSwitchAnnouncementIsTheLastPointACancellationTakesEffect() {
    relay.step("starting acme-production-blue (the slot was empty) with app:1");
    cancelled.set(true);
    assertThrows(DeployCancelled.class,
        () -> relay.step("switching acme-production to 127.0.0.1:4100"));
    assertFalse(relay.switching(), "the switch was not begun");
  }

  @Test
  void onceTrafficMovesTheDeployRunsToItsEnd() {
    relay.step("switching acme-production to 127.0.0.1:4100");
    cancelled.set(true);
    assertDoesNotThrow(() -> relay.step("letting blue drain for 2000 ms"));
    assertTrue(relay.switching());
  }
}
