package kr.codeb.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.deploy.DeployHooks;
import kr.codeb.deploy.DeployProgress;
import kr.codeb.deploy.DeployResult;
import kr.codeb.deploy.ReleaseOutcome;
import kr.codeb.model.Slot;
import kr.codeb.runtime.ContainerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pre- and post-deploy hooks on the mem: providers, with traffic through the proxy. */
class DeployHooksTest extends DeploymentsTest {
  private final List<String> steps = new ArrayList<>();
  private final DeployProgress progress = new DeployProgress() {
    @Override
    public void step(String description) {
      steps.add(description);
    }
  };

  private DeployResult deploy(String image, DeployHooks hooks, Map<String, String> env) {
    return deployments.deploy(request(image).env(env,
        new kr.codeb.deploy.EnvSource(Optional.empty(), List.copyOf(env.keySet()))).build(), hooks, progress);
  }

  private static DeployHooks hooks(String pre, String post, boolean rollback) {
    return DeployHooks.shell(Optional.ofNullable(pre), Optional.ofNullable(post),
        Duration.ofSeconds(30), rollback);
  }

  @Test
  void aFailingPreDeployHookKeepsTheOldReleaseServingAndReportsItsOutput() throws IOException {
    deploy("localhost/acme/web:v1");
    ContainerId live = runtime.inspect(new ContainerId("acme-production-blue")).orElseThrow().id();
    String secret = "pw-" + System.nanoTime();
    DeployResult r = deploy("localhost/acme/web:v2",
        hooks("echo migrating with $DB_PASSWORD; echo relation exists >&2; exit 4", null, false),
        Map.of("DB_PASSWORD", secret));
    assertEquals(ReleaseOutcome.FAILED, r.outcome());
    assertEquals(Optional.of("the pre-deploy hook exited with 4"), r.reason());
    assertTrue(r.logTail().orElseThrow().contains("relation exists"), r.logTail().toString());
    assertFalse(r.logTail().orElseThrow().contains(secret), "env values never in hook output");
    assertFalse(String.join("\n", steps).contains(secret), String.join("\n", steps));
    assertEquals(Optional.of(Slot.BLUE), r.liveSlot());
    assertEquals("localhost/acme/web:v1", throughProxy());
    assertEquals(live, runtime.inspect(new ContainerId("acme-production-blue")).orElseThrow().id());
    assertTrue(runtime.inspect(new ContainerId("acme-production-green")).isEmpty(),
        "the new slot never started");
    assertEquals(ReleaseOutcome.FAILED, deployments.status(ACME).history().get(1).outcome());
    assertTrue(runtime.list(Map.of("codeb.hook", "pre-deploy")).isEmpty(), "no hook leftovers");
  }

  @Test
  void aPassingPreDeployHookRunsBeforeTheNewSlotStarts() throws IOException {
    deploy("localhost/acme/web:v1");
    DeployResult r = deploy("localhost/acme/web:v2", hooks("echo migrated; exit 0", null, false),
        Map.of());
    assertEquals(ReleaseOutcome.DEPLOYED, r.outcome());
    assertEquals("localhost/acme/web:v2", throughProxy());
    int hook = steps.indexOf("pre-deploy: migrated");
    int start = indexOfStep("replacing acme-production-green");
    int fresh = indexOfStep("starting acme-production-green");
    assertTrue(hook >= 0, steps::toString);
    assertTrue(hook < Math.max(start, fresh), steps::toString);
  }

  private int indexOfStep(String prefix) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void aHookThatOutlivesItsTimeoutFailsTheDeploy() throws IOException {
    deploy("localhost/acme/web:v1");
    DeployResult r = deploy("localhost/acme/web:v2", hooks("echo waiting; exec sleep 3600", null,
        false), Map.of());
    assertEquals(ReleaseOutcome.FAILED, r.outcome());
    assertTrue(r.reason().orElseThrow().contains("was killed"), r.reason().toString());
    assertEquals("localhost/acme/web:v1", throughProxy());
  }

  @Test
  void aFailingPostDeployHookIsReportedAndTrafficStaysUnlessAskedToRollBack()
      throws IOException {
    deploy("localhost/acme/web:v1");
    DeployResult stays = deploy("localhost/acme/web:v2", hooks(null, "echo cache warm failed;"
        + " exit 1", false), Map.of());
    assertEquals(ReleaseOutcome.DEPLOYED, stays.outcome());
    assertTrue(stays.reason().orElseThrow().startsWith("the post-deploy hook exited with 1"),
        stays.reason().toString());
    assertTrue(stays.logTail().orElseThrow().contains("cache warm failed"));
    assertEquals("localhost/acme/web:v2", throughProxy());
    List<kr.codeb.deploy.ReleaseRecord> records = deployments.status(ACME).history();
    // the switch is recorded first; the hook's failure is a second line for the release
    kr.codeb.deploy.ReleaseRecord recorded = records.get(records.size() - 1);
    assertEquals(stays.release(), recorded.release());
    assertEquals(ReleaseOutcome.DEPLOYED, recorded.outcome());
    assertTrue(recorded.message().startsWith("the post-deploy hook exited with 1"),
        recorded.message());

    DeployResult back = deploy("localhost/acme/web:v3", hooks(null, "exit 1", true), Map.of());
    assertEquals(ReleaseOutcome.FAILED, back.outcome());
    assertEquals(Optional.of(Slot.GREEN), back.liveSlot());
    assertTrue(back.reason().orElseThrow().contains("traffic moved back to green"),
        back.reason().toString());
    assertEquals("localhost/acme/web:v2", throughProxy());
    List<kr.codeb.deploy.ReleaseRecord> history = deployments.status(ACME).history();
    assertEquals(ReleaseOutcome.FAILED, history.get(history.size() - 1).outcome());
  }

  private static Path script(Path dir, String name, String body) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }

  @Test
  void localHooksGetTheCodebVariablesButNeverTheReleaseEnvironment(@TempDir Path dir)
      throws IOException {
    deploy("localhost/acme/web:v1");
    String secret = "local-secret-" + System.nanoTime();
    script(dir, "pre-deploy", "env > \"" + dir.resolve("pre.env") + "\"; echo local pre ran");
    script(dir, "post-deploy", "env > \"" + dir.resolve("post.env") + "\"");
    DeployResult r = deploy("localhost/acme/web:v2", hooks("echo remote pre ran", null, false)
        .withLocalDir(dir), Map.of("DB_PASSWORD", secret));
    assertEquals(ReleaseOutcome.DEPLOYED, r.outcome(), r.reason().toString());
    for (String file : List.of("pre.env", "post.env")) {
      String env = Files.readString(dir.resolve(file));
      assertTrue(env.contains("CODEB_PROJECT=acme\n"), env);
      assertTrue(env.contains("CODEB_ENV=production\n"), env);
      assertTrue(env.contains("CODEB_RELEASE=" + r.release() + "\n"), env);
      assertTrue(env.contains("CODEB_SLOT=green\n"), env);
      assertTrue(env.contains("CODEB_PORT=" + r.port() + "\n"), env);
      assertTrue(env.contains("CODEB_IMAGE=localhost/acme/web:v2\n"), env);
      assertTrue(env.contains("CODEB_ACTOR="), env);
      assertTrue(env.contains("CODEB_HOOK=" + file.substring(0, file.indexOf('.')) + "-deploy\n"),
          env);
      assertFalse(env.contains(secret), "the release's env never reaches a local hook");
      assertFalse(env.contains("DB_PASSWORD"), env);
    }
    int local = steps.indexOf("local pre-deploy: local pre ran");
    int remote = steps.indexOf("pre-deploy: remote pre ran");
    assertTrue(local >= 0 && remote > local, steps::toString);
  }

  @Test
  void aFailingLocalPreDeployHookStopsTheDeployBeforeTheContainerHook(@TempDir Path dir)
      throws IOException {
    deploy("localhost/acme/web:v1");
    String secret = "local-secret-" + System.nanoTime();
    script(dir, "pre-deploy", "echo checks failed for " + secret + "; exit 3");
    DeployResult r = deploy("localhost/acme/web:v2", hooks("echo remote pre ran", null, false)
        .withLocalDir(dir), Map.of("TOKEN", secret));
    assertEquals(ReleaseOutcome.FAILED, r.outcome());
    assertEquals(Optional.of("the local pre-deploy hook exited with 3"), r.reason());
    assertEquals("checks failed for [redacted]", r.logTail().orElseThrow().strip());
    assertFalse(String.join("\n", steps).contains(secret), String.join("\n", steps));
    assertFalse(steps.contains("pre-deploy: remote pre ran"), steps::toString);
    assertEquals("localhost/acme/web:v1", throughProxy());
    assertTrue(runtime.inspect(new ContainerId("acme-production-green")).isEmpty());
  }

  @Test
  void aLocalHookThatCannotRunIsRefusedBeforeAnythingStarts(@TempDir Path dir)
      throws IOException {
    deploy("localhost/acme/web:v1");
    Files.writeString(dir.resolve("post-deploy"), "#!/bin/sh\nexit 0\n");
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> deploy("localhost/acme/web:v2", hooks(null, null, false).withLocalDir(dir),
            Map.of()));
    assertTrue(e.getMessage().contains("is not an executable file"), e::getMessage);
    assertTrue(runtime.inspect(new ContainerId("acme-production-green")).isEmpty());
    assertEquals(1, deployments.status(ACME).history().size());
  }

  @Test
  void badHooksAreRefused() {
    assertThrows(InvalidRequestException.class, () -> new DeployHooks(Optional.of(List.of()),
        Optional.empty(), Duration.ofSeconds(5), false));
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> DeployHooks.shell(Optional.of("true"), Optional.empty(), Duration.ZERO, false));
    assertTrue(e.getMessage().contains("1 s to 1 h"), e::getMessage);
    assertThrows(InvalidRequestException.class, () -> DeployHooks.shell(Optional.of("true"),
        Optional.empty(), Duration.ofHours(2), false));
  }
}
