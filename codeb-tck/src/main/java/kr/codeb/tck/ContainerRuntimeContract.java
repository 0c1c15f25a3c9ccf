package kr.codeb.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.NotFoundException;
import kr.codeb.UnavailableException;
import kr.codeb.model.IpAddress;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.runtime.ContainerSpec;
import kr.codeb.runtime.ContainerState;
import kr.codeb.runtime.PortBinding;
import kr.codeb.runtime.RuntimeVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ContainerRuntime} must do, tested against a real engine (or the {@code mem:}
 * simulation). A runtime's test extends this once and says how to open a runtime and which
 * image to run.
 *
 * <p>Every container a test makes is named {@code codeb-tck-<random>-...} and labelled
 * {@code codeb.tck.run=<random>}; all of them are removed after each test, even when it fails.
 * Host ports are free loopback ports, and the only HTTP traffic goes to 127.0.0.1.
 */
public abstract class ContainerRuntimeContract {
  /** The label every container of one test carries, so cleanup and {@code list} find them. */
  protected static final String RUN_LABEL = "codeb.tck.run";
  private static final IpAddress LOOPBACK = IpAddress.of("127.0.0.1");

  private ContainerRuntime runtime;
  private String run;
  private String prefix;
  private final List<String> names = new ArrayList<>();

  /** A new runtime on the engine under test; the contract closes it after each test. */
  protected abstract ContainerRuntime newRuntime();

  /**
   * An image the engine has or can pull that serves HTTP 200 on {@code /health} on container
   * port 8080 and has a POSIX {@code sh} with {@code echo}, {@code exit} and {@code sleep}.
   */
  protected abstract String testImage();

  /** How long a container may take to start answering HTTP or to exit (default 30 s). */
  protected Duration patience() {
    return Duration.ofSeconds(30);
  }

  /** The command that runs {@code script} in the test image's shell. */
  protected List<String> shell(String script) {
    return List.of("sh", "-c", script);
  }

  @BeforeEach
  final void openRuntime() {
    run = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    prefix = "codeb-tck-" + run + "-";
    runtime = null;
    runtime = newRuntime();
  }

  @AfterEach
  final void removeEverything() {
    if (runtime == null) {
      return; // skipped (no engine) before a runtime was opened
    }
    List<Throwable> problems = new ArrayList<>();
    try {
      Set<String> ids = new HashSet<>();
      for (ContainerInfo info : runtime.list(Map.of(RUN_LABEL, run))) {
        ids.add(info.id().value());
      }
      for (String name : names) {
        runtime.inspect(new ContainerId(name)).ifPresent(info -> ids.add(info.id().value()));
      }
      for (String id : ids) {
        try {
          runtime.remove(new ContainerId(id));
        } catch (RuntimeException e) {
          problems.add(e);
        }
      }
    } catch (RuntimeException e) {
      problems.add(e);
    } finally {
      runtime.close();
    }
    if (!problems.isEmpty()) {
      AssertionError error = new AssertionError("cleanup of " + prefix + "* failed");
      problems.forEach(error::addSuppressed);
      throw error;
    }
  }

  /** The runtime opened for the current test. */
  protected final ContainerRuntime runtime() {
    return runtime;
  }

  /** A container name unique to this test run. */
  protected final String name(String suffix) {
    String name = prefix + suffix;
    names.add(name);
    return name;
  }

  /** A spec for the test image under a unique name, labelled with this test's run label. */
  protected final ContainerSpec spec(String suffix, Map<String, String> extraLabels,
      Map<String, String> env, List<PortBinding> ports, List<String> command) {
    Map<String, String> labels = new LinkedHashMap<>(extraLabels);
    labels.put(RUN_LABEL, run);
    return new ContainerSpec(name(suffix), testImage(), labels, env, ports, command);
  }

  /** A free TCP port on 127.0.0.1 (free now; the engine binds it right after). */
  protected static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free loopback port", e);
    }
  }

  @Test
  public final void pingAnswersWithTheEngineVersion() {
    RuntimeVersion version = runtime.ping();
    assertNotNull(version);
    assertFalse(version.engine() == null || version.engine().isBlank(), version::toString);
    assertFalse(version.version() == null || version.version().isBlank(), version::toString);
  }

  @Test
  public final void runStartsTheContainerWithNameLabelsAndLoopbackPort() throws Exception {
    int hostPort = freePort();
    PortBinding binding = new PortBinding(LOOPBACK, hostPort, 8080);
    ContainerSpec spec = spec("web", Map.of("codeb.project", "tck", "codeb.slot", "blue"),
        Map.of(), List.of(binding), List.of());
    ContainerId id = runtime.run(spec);

    ContainerInfo info = runtime.inspect(id).orElseThrow(() -> new AssertionError("not found: " + id));
    assertEquals(ContainerState.RUNNING, info.state(), info::toString);
    assertEquals(spec.name(), info.name());
    assertEquals(spec.image(), info.image());
    assertTrue(info.imageId() != null && !info.imageId().isBlank(), info::toString);
    assertTrue(info.labels().entrySet().containsAll(spec.labels().entrySet()), info::toString);
    assertTrue(info.ports().contains(binding), () -> "expected " + binding + " in " + info.ports());
    assertEquals(Optional.empty(), info.exitCode());

    ContainerInfo byName = runtime.inspect(new ContainerId(spec.name()))
        .orElseThrow(() -> new AssertionError("not found by name: " + spec.name()));
    assertEquals(info.id(), byName.id());

    int status = eventually("HTTP 200 from 127.0.0.1:" + hostPort + "/health",
        () -> httpStatus(hostPort, "/health"), s -> s == 200);
    assertEquals(200, status);
  }

  @Test
  public final void listFindsExactlyTheContainersWithAllTheLabels() {
    runtime.run(spec("a", Map.of("codeb.tck.role", "x"), Map.of(), List.of(), sleepForever()));
    runtime.run(spec("b", Map.of("codeb.tck.role", "x"), Map.of(), List.of(), sleepForever()));
    runtime.run(spec("c", Map.of("codeb.tck.role", "y"), Map.of(), List.of(), sleepForever()));

    assertEquals(Set.of(prefix + "a", prefix + "b", prefix + "c"), names(Map.of(RUN_LABEL, run)));
    assertEquals(Set.of(prefix + "a", prefix + "b"),
        names(Map.of(RUN_LABEL, run, "codeb.tck.role", "x")));
    assertEquals(Set.of(), names(Map.of(RUN_LABEL, run, "codeb.tck.role", "z")));
    assertTrue(runtime.list(Map.of()).stream().map(ContainerInfo::name).collect(Collectors.toSet())
        .containsAll(Set.of(prefix + "a", prefix + "b", prefix + "c")));
  }

  @Test
  public final void aTakenNameConflictsAndStartsNothing() {
    ContainerSpec first = spec("taken", Map.of(), Map.of(), List.of(), sleepForever());
    ContainerId id = runtime.run(first);
    ContainerSpec second = new ContainerSpec(first.name(), testImage(),
        Map.of(RUN_LABEL, run, "codeb.tck.second", "yes"), Map.of(), List.of(), sleepForever());

    assertThrows(ConflictException.class, () -> runtime.run(second));
    List<ContainerInfo> all = runtime.list(Map.of(RUN_LABEL, run));
    assertEquals(1, all.size(), all::toString);
    assertEquals(id, all.get(0).id());
    assertFalse(all.get(0).labels().containsKey("codeb.tck.second"));
  }

  @Test
  public final void stopLeavesAnExitedContainerAndRepeatsQuietly() {
    ContainerId id = runtime.run(spec("stop", Map.of(), Map.of(), List.of(), sleepForever()));
    runtime.stop(id, Duration.ofSeconds(1));
    ContainerInfo info = runtime.inspect(id).orElseThrow();
    assertEquals(ContainerState.EXITED, info.state(), info::toString);
    assertTrue(info.exitCode().isPresent(), info::toString);
    runtime.stop(id, Duration.ofSeconds(1));
    assertEquals(ContainerState.EXITED, runtime.inspect(id).orElseThrow().state());
  }

  @Test
  public final void stopOfAnUnknownContainerIsNotFound() {
    assertThrows(NotFoundException.class,
        () -> runtime.stop(new ContainerId(name("absent")), Duration.ofSeconds(1)));
  }

  @Test
  public final void removeIsIdempotent() {
    ContainerId id = runtime.run(spec("rm", Map.of(), Map.of(), List.of(), sleepForever()));
    assertTrue(runtime.remove(id));
    assertEquals(Optional.empty(), runtime.inspect(id));
    assertFalse(runtime.remove(id));
    assertEquals(List.of(), runtime.list(Map.of(RUN_LABEL, run)));
  }

  @Test
  public final void inspectOfAnUnknownContainerIsEmpty() {
    assertEquals(Optional.empty(), runtime.inspect(new ContainerId(name("nobody"))));
    String randomId = (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
    assertEquals(Optional.empty(), runtime.inspect(new ContainerId(randomId)));
  }

  /**
   * A container whose command exits with 3 stops running and reports exit code 3. Under the
   * {@code unless-stopped} restart policy the engine may already be restarting it, so
   * {@code RESTARTING} is as good as {@code EXITED} here; it is never {@code RUNNING} with an
   * exit code.
   */
  @Test
  public final void anExitingCommandReportsItsExitCode() {
    ContainerId id = runtime.run(spec("exit3", Map.of(), Map.of(), List.of(), shell("exit 3")));
    ContainerInfo info = eventually("exit code 3 of " + id,
        () -> runtime.inspect(id).orElseThrow(),
        i -> i.exitCode().equals(Optional.of(3))
            && (i.state() == ContainerState.EXITED || i.state() == ContainerState.RESTARTING));
    assertFalse(info.isRunning(), info::toString);
  }

  /**
   * Logs hold stdout and stderr. Engines order the two streams only roughly (Docker's json-file
   * driver may write a stderr line before stdout lines printed earlier), so the stderr line is
   * written a second before the stdout lines whose order is checked.
   */
  @Test
  public final void logsReturnTheLastLines() {
    ContainerId id = runtime.run(spec("logs", Map.of(), Map.of(), List.of(),
        shell("echo oops >&2; sleep 1; echo one; echo two; echo three; echo four;"
            + " exec sleep 3600")));
    String last = eventually("the last two log lines of " + id,
        () -> runtime.logs(id, 2), s -> s.strip().equals("three\nfour"));
    assertEquals("three\nfour", last.strip());
    assertEquals("oops\none\ntwo\nthree\nfour", runtime.logs(id, 100).strip());
    assertEquals("", runtime.logs(id, 0).strip());
  }

  @Test
  public final void logsOfAnUnknownContainerAreNotFound() {
    assertThrows(NotFoundException.class, () -> runtime.logs(new ContainerId(name("ghost")), 5));
  }

  @Test
  public final void environmentReachesTheContainerButNotToString() {
    String value = "tck-secret-" + UUID.randomUUID();
    ContainerSpec spec = spec("env", Map.of(), Map.of("CODEB_TCK_SECRET", value), List.of(),
        shell("echo \"got=$CODEB_TCK_SECRET\"; exec sleep 3600"));
    assertFalse(spec.toString().contains(value), spec::toString);
    assertTrue(spec.toString().contains("CODEB_TCK_SECRET"), spec::toString);
    ContainerId id = runtime.run(spec);
    String logs = eventually("the echoed variable", () -> runtime.logs(id, 10),
        s -> s.contains("got="));
    assertEquals("got=" + value, logs.strip());
  }

  @Test
  public final void anImageThatDoesNotExistFailsAndLeavesNothing() {
    ContainerSpec spec = new ContainerSpec(name("noimage"), "127.0.0.1:1/nope:1",
        Map.of(RUN_LABEL, run), Map.of(), List.of(), List.of());
    CodeBException e = assertThrows(CodeBException.class, () -> runtime.run(spec));
    assertTrue(e instanceof NotFoundException || e instanceof UnavailableException,
        () -> "expected not-found or unavailable, got " + e);
    assertEquals(Optional.empty(), runtime.inspect(new ContainerId(spec.name())));
    assertEquals(List.of(), runtime.list(Map.of(RUN_LABEL, run)));
  }

  @Test
  public final void ensureImageHasTheImageOrFailsWithoutAContainer() {
    runtime.ensureImage(testImage()); // local (or pulled once): returns
    CodeBException e = assertThrows(CodeBException.class,
        () -> runtime.ensureImage("127.0.0.1:1/nope:1"));
    assertTrue(e instanceof NotFoundException || e instanceof UnavailableException,
        () -> "expected not-found or unavailable, got " + e);
    assertEquals(List.of(), runtime.list(Map.of(RUN_LABEL, run)));
  }

  @Test
  public final void removeImageOfAnAbsentImageIsFalse() {
    assertFalse(runtime.removeImage("127.0.0.1:1/codeb-tck-absent-" + run + ":1"));
  }

  private List<String> sleepForever() {
    return shell("exec sleep 3600");
  }

  private Set<String> names(Map<String, String> labels) {
    return runtime.list(labels).stream().map(ContainerInfo::name).collect(Collectors.toSet());
  }

  /** Polls {@code probe} until {@code done} holds or {@link #patience()} runs out. */
  protected final <T> T eventually(String what, Supplier<T> probe, Predicate<T> done) {
    long deadline = System.nanoTime() + patience().toNanos();
    T last = null;
    RuntimeException lastError = null;
    while (true) {
      try {
        last = probe.get();
        lastError = null;
        if (done.test(last)) {
          return last;
        }
      } catch (RuntimeException e) {
        lastError = e;
      }
      if (System.nanoTime() > deadline) {
        AssertionError error = new AssertionError("gave up waiting for " + what + " after "
            + patience().toSeconds() + " s; last seen: " + last);
        if (lastError != null) {
          error.initCause(lastError);
        }
        throw error;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted while waiting for " + what);
      }
    }
  }

  private static int httpStatus(int port, String path) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(3)).GET().build();
    try {
      return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
