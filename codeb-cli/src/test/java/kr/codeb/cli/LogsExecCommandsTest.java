package kr.codeb.cli;

import static kr.codeb.cli.DeployFleet.GOOD_V1;
import static kr.codeb.cli.DeployFleet.GOOD_V2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kr.codeb.ProviderRegistry;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** we logs and we exec against the in-memory engines (the real ones: the runtime contracts). */
class LogsExecCommandsTest {
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

  private WeRunner.Result logs(String... more) {
    String[] args = new String[3 + more.length];
    args[0] = "logs";
    args[1] = "acme";
    args[2] = "--env=production";
    System.arraycopy(more, 0, args, 3, more.length);
    return fleet.we(args);
  }

  @Test
  void logsShowTheLiveOrNamedSlot() {
    fleet.deploy(GOOD_V1).expect(0);
    assertEquals(GOOD_V1 + ": running (mem)\n", logs().expect(0).out());
    assertEquals(GOOD_V1 + ": running (mem)\n", logs("--slot", "blue", "--tail", "5",
        "--since", "10m").expect(0).out());
    assertEquals("", logs("--tail", "0").expect(0).out());
    assertEquals("", logs("--since", "2099-01-01T00:00:00Z").expect(0).out());
    JsonNode line = logs("--json").expect(0).json();
    assertEquals("blue", line.get("slot").asText());
    assertEquals("stdout", line.get("stream").asText());
    assertEquals(GOOD_V1 + ": running (mem)", line.get("text").asText());

    WeRunner.Result none = logs("--slot", "green").expect(1);
    assertTrue(none.err().contains("no container in the green slot"), none.err());
  }

  @Test
  void logsBadInputIsRefusedWithExit2() {
    fleet.deploy(GOOD_V1).expect(0);
    WeRunner.Result tail = logs("--tail", "-1").expect(2);
    assertTrue(tail.err().contains("between 0 and") && tail.err().contains("-1"), tail.err());
    WeRunner.Result since = logs("--since", "yesterday").expect(2);
    assertTrue(since.err().contains("invalid --since 'yesterday'"), since.err());
    assertTrue(since.err().contains("10m"), since.err());
    WeRunner.Result slot = logs("--slot", "purple").expect(2);
    assertTrue(slot.err().contains("allowed are blue, green, live"), slot.err());
    fleet.we("logs", "Not_A_Project", "--env", "production").expect(2);
  }

  @Test
  void aLiveFollowMovesToTheNewSlotAcrossADeploy() throws Exception {
    fleet.deploy(GOOD_V1).expect(0);
    CompletableFuture<WeRunner.Result> follow =
        CompletableFuture.supplyAsync(() -> logs("--follow"));
    Thread.sleep(1500); // the follow is reading the blue container
    fleet.deploy(GOOD_V2).expect(0);
    Thread.sleep(2500); // the switch watcher polls every second
    fleet.removeContainers(); // the green container goes: the follow ends
    WeRunner.Result r = follow.get(30, TimeUnit.SECONDS).expect(0);
    assertEquals(GOOD_V1 + ": running (mem)\n" + GOOD_V2 + ": running (mem)\n", r.out());
    assertTrue(r.err().contains("traffic switched from blue to green"), r.err());
  }

  private WeRunner.Result exec(String... command) {
    String[] args = new String[5 + command.length];
    System.arraycopy(new String[] {"exec", "acme", "--env", "production", "--"}, 0, args, 0, 5);
    System.arraycopy(command, 0, args, 5, command.length);
    return fleet.we(args);
  }

  @Test
  void execPassesOutputAndTheExitCodeThrough() {
    fleet.deploy(GOOD_V1).expect(0);
    WeRunner.Result r = exec("sh", "-c", "echo hi; echo warn >&2; exit 3").expect(3);
    assertEquals("hi\n", r.out());
    assertEquals("warn\n", r.err());
    exec("true").expect(0);
    WeRunner.Result missing = exec("no-such-program").expect(127);
    assertTrue(missing.err().contains("not found"), missing.err());
  }

  @Test
  void execBadInputAndStoppedContainers() {
    fleet.deploy(GOOD_V1).expect(0);
    WeRunner.Result empty = fleet.we("exec", "acme", "--env", "production").expect(2);
    assertTrue(empty.err().contains("no command given"), empty.err());
    fleet.we("exec", "acme", "--env", "production", "--slot", "red", "--", "true").expect(2);
    fleet.we("exec", "acme", "--env", "production", "--slot", "green", "--", "true").expect(1);

    String secret = "s3cr3t-" + System.nanoTime();
    try (ContainerRuntime runtime = ProviderRegistry.load().containerRuntime(fleet.runtimeUri)) {
      runtime.stop(new ContainerId("acme-production-blue"), Duration.ofSeconds(1));
    }
    WeRunner.Result stopped = exec("sh", "-c", "echo " + secret).expect(1);
    assertTrue(stopped.err().contains("not running"), stopped.err());
    assertFalse(stopped.err().contains(secret) || stopped.out().contains(secret),
        "the command's arguments must not be echoed");
  }
}
