package kr.codeb.podman;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.function.Supplier;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.NotFoundException;
import kr.codeb.UnavailableException;
import kr.codeb.deploy.HealthStatus;
import kr.codeb.podman.internal.HostLimits;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ContainerSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What Podman does differently, on the real service: limits, health, names, errors. */
class PodmanSpecificsTest {
  private final List<PodmanRuntime> runtimes = new ArrayList<>();
  private String prefix;

  @BeforeAll
  static void image() {
    PodmanTestSupport.pullTestImage();
  }

  @BeforeEach
  void names() {
    prefix = "codeb-podman-test-" + Integer.toHexString(ThreadLocalRandom.current().nextInt()) + "-";
  }

  @AfterEach
  void cleanUp() {
    try (PodmanRuntime runtime = PodmanRuntime.create(PodmanTestSupport.config())) {
      for (ContainerInfo c : runtime.list(Map.of("codeb.podman.test", prefix))) {
        runtime.remove(c.id());
      }
    }
    runtimes.forEach(PodmanRuntime::close);
  }

  private PodmanRuntime runtime(PodmanConfig config) {
    PodmanRuntime runtime = PodmanRuntime.create(config);
    runtimes.add(runtime);
    return runtime;
  }

  private ContainerSpec spec(String name, List<String> command) {
    return new ContainerSpec(prefix + name, PodmanTestSupport.testImage(),
        Map.of("codeb.podman.test", prefix), Map.of(), List.of(), command);
  }

  @Test
  void everyContainerGetsExplicitLimitsThatStart() {
    PodmanRuntime runtime = runtime(PodmanTestSupport.config());
    ContainerId id = runtime.run(spec("limits", List.of("sh", "-c",
        "echo nofile=$(ulimit -n) nproc=$(ulimit -u); exec sleep 3600")));
    HostLimits host = HostLimits.ofThisProcess();
    String expected = "nofile=" + host.containerNofile() + " nproc=" + host.containerNproc();
    String logs = eventually(() -> runtime.logs(id, 5), s -> s.contains("nofile="));
    assertEquals(expected, logs.strip());

    PodmanRuntime explicit = runtime(PodmanTestSupport.config().withUlimits(2048, 512));
    ContainerId other = explicit.run(spec("explicit", List.of("sh", "-c",
        "echo nofile=$(ulimit -n) nproc=$(ulimit -u); exec sleep 3600")));
    assertEquals("nofile=2048 nproc=512",
        eventually(() -> explicit.logs(other, 5), s -> s.contains("nofile=")).strip());
  }

  @Test
  void limitsAboveTheServicesAreRefusedClearlyWhenGivenExplicitly() {
    // The service's hard nproc limit is far below this: the start fails, nothing is left.
    PodmanRuntime runtime = runtime(PodmanTestSupport.config().withUlimits(1024, 1L << 30));
    ContainerSpec spec = spec("toohigh", List.of("sh", "-c", "exec sleep 3600"));
    CodeBException e = assertThrows(CodeBException.class, () -> runtime.run(spec));
    assertEquals(Optional.of("podman"), e.provider());
    assertTrue(e.getMessage().contains("rlimit"), e.getMessage());
    assertEquals(Optional.empty(), runtime.inspect(new ContainerId(spec.name())));
  }

  @Test
  void healthIsTheCheckRunWhenDueOrStartingWithoutIt() {
    PodmanRuntime passive = runtime(PodmanTestSupport.config().withDueHealthchecks(false));
    ContainerId quiet = passive.run(spec("passive", List.of()));
    PodmanRuntime active = runtime(PodmanTestSupport.config());
    ContainerId checked = active.run(spec("active", List.of()));
    // The test image's HEALTHCHECK runs every 2 s: due once 2 s passed since the start.
    ContainerInfo healthy = eventually(() -> active.inspect(checked).orElseThrow(),
        i -> i.health() == HealthStatus.HEALTHY);
    assertEquals(HealthStatus.HEALTHY, healthy.health());
    RealPause.pause(Duration.ofSeconds(3));
    // Nothing ran the passive one's check: Podman still says starting, and so do we.
    assertEquals(HealthStatus.STARTING, passive.inspect(quiet).orElseThrow().health());
  }

  @Test
  void shortNamesMeanDockerHubAndLocalhostStays() {
    PodmanRuntime runtime = runtime(PodmanTestSupport.config());
    ContainerSpec spec = new ContainerSpec(prefix + "short", "codeb-no-such-image-anywhere:1",
        Map.of("codeb.podman.test", prefix), Map.of(), List.of(), List.of());
    CodeBException e = assertThrows(CodeBException.class, () -> runtime.run(spec));
    assertTrue(e instanceof NotFoundException || e instanceof UnavailableException, e::toString);
    assertTrue(e.getMessage().contains("docker.io/library/codeb-no-such-image-anywhere:1"),
        e.getMessage());
    assertEquals(Optional.of("podman"), e.provider());
  }

  @Test
  void aTakenNameIsAConflictThoughPodmanSays500() {
    PodmanRuntime runtime = runtime(PodmanTestSupport.config());
    ContainerSpec spec = spec("twice", List.of("sh", "-c", "exec sleep 3600"));
    runtime.run(spec);
    ConflictException e = assertThrows(ConflictException.class, () -> runtime.run(spec));
    assertEquals(Optional.of("podman"), e.provider());
    assertTrue(e.getMessage().contains("already in use"), e.getMessage());
    assertTrue(e.getMessage().contains("on podman at unix://"), e.getMessage());
  }

  private static <T> T eventually(Supplier<T> probe, Predicate<T> done) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    T last = null;
    while (System.nanoTime() < deadline) {
      last = probe.get();
      if (done.test(last)) {
        return last;
      }
      RealPause.pause(Duration.ofMillis(200));
    }
    throw new AssertionError("gave up after 30 s; last seen: " + last);
  }

  static final class RealPause {
    static void pause(Duration d) {
      try {
        Thread.sleep(d.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
