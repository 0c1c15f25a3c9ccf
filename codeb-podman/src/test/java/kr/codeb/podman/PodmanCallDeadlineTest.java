package kr.codeb.podman;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import kr.codeb.CodeBException;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderConfig;
import kr.codeb.UnavailableException;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.runtime.ContainerSpec;
import kr.codeb.runtime.RuntimeVersion;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Podman service that stops answering (frozen: the kernel still accepts connections, nobody
 * reads them) fails each call that is not a stream at the call timeout, naming the service, the
 * call and {@code CODEB_PODMAN_CALL_TIMEOUT}, instead of hanging: the Docker-compatible
 * transport codeb-podman uses has no socket timeout of its own on a Unix socket. Frozen twice:
 * a socket that accepts and never answers, and a real {@code podman system service} this test
 * starts itself (its own storage, its own socket) and stops with SIGSTOP.
 */
class PodmanCallDeadlineTest {
  @TempDir Path dir;

  @Test
  @Timeout(30)
  void aCallToAServiceThatNeverAnswersFailsAtTheCallTimeoutFromTheUri() throws Exception {
    Path socket = dir.resolve("frozen.sock");
    try (FrozenSocket frozen = FrozenSocket.open(socket);
        ContainerRuntime runtime = new PodmanRuntimeFactory().create(config(
            "podman+unix://" + socket + "?call-timeout=600ms", Map.of()))) {
      UnavailableException e = failsWithin(Duration.ofMillis(600),
          () -> runtime.inspect(new ContainerId("acme-production-postgres")));
      assertEquals(Optional.of("podman"), e.provider());
      assertTrue(e.getMessage().startsWith("the podman engine at unix://" + socket
          + " did not answer within 0.6s while inspecting container acme-production-postgres"),
          e.getMessage());
      assertTrue(e.getMessage().contains("CODEB_PODMAN_CALL_TIMEOUT"), e.getMessage());
      assertFalse(e.getMessage().contains("CODEB_DOCKER"), e.getMessage());
      assertFalse(Thread.currentThread().isInterrupted(), "the watchdog's interrupt is cleared");
      // Every later call is cut the same way, whatever it is.
      UnavailableException list = failsWithin(Duration.ofMillis(600),
          () -> runtime.list(Map.of("codeb.project", "acme")));
      assertTrue(list.getMessage().contains("while listing containers"), list.getMessage());
      failsWithin(Duration.ofMillis(600), runtime::ping);
      assertTrue(frozen.accepted() >= 1, "the calls reached the frozen socket");
    }
  }

  @Test
  @Timeout(30)
  void discoveryPassesEveryFrozenPlaceAtTheCallTimeoutAndSaysSo() throws Exception {
    Path rootful = dir.resolve("rootful.sock");
    Path xdg = dir.resolve("xdg");
    Files.createDirectories(xdg.resolve("podman"));
    Path rootless = xdg.resolve("podman/podman.sock");
    try (FrozenSocket a = FrozenSocket.open(rootful);
        FrozenSocket b = FrozenSocket.open(rootless);
        PodmanRuntime runtime = PodmanRuntime.create(PodmanConfig.auto()
            .withRootfulSocket(rootful)
            .withEnvironment(PodmanTestSupportEnv.of(Map.of("XDG_RUNTIME_DIR", xdg.toString())))
            .withCallTimeout(Duration.ofMillis(500)))) {
      long start = System.nanoTime();
      UnavailableException e = assertThrows(UnavailableException.class, runtime::ping);
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis >= 950 && millis < 15_000, "two places, failed after " + millis + " ms");
      assertTrue(e.getMessage().contains("tried unix://" + rootful
          + " (rootful): did not answer within 0.5s"), e.getMessage());
      assertTrue(e.getMessage().contains("tried unix://" + rootless
          + " (rootless, from XDG_RUNTIME_DIR): did not answer within 0.5s"), e.getMessage());
      assertFalse(Thread.currentThread().isInterrupted(), "the watchdog's interrupt is cleared");
    }
  }

  @Test
  @Timeout(180)
  void aRealServiceStoppedWithSigstopFailsEachCallAtTheDeadlineAndAnswersAfterSigcont()
      throws Exception {
    // Needs the podman binary of the test environment; its shared service is not touched.
    TestEngines.require("CODEB_TEST_PODMAN_SOCKET");
    Path socket = dir.resolve("own.sock");
    // Not less: Podman answers a version call in about 1 s (it asks conmon and the OCI runtime).
    Duration limit = Duration.ofSeconds(3);
    try (OwnService service = OwnService.start(dir, socket);
        PodmanRuntime runtime = PodmanRuntime.create(PodmanConfig.unix(socket)
            .withEnvironment(PodmanTestSupportEnv.of(Map.of()))
            .withCallTimeout(limit))) {
      RuntimeVersion version = service.awaitAnswer(runtime);
      assertEquals("podman", version.engine(), version::toString);
      assertEquals(List.of(), runtime.list(Map.of("codeb.test", "call-deadline")));
      assertEquals(Optional.empty(), runtime.inspect(new ContainerId("codeb-deadline-absent")));

      service.signal("STOP");
      UnavailableException inspect = failsWithin(limit,
          () -> runtime.inspect(new ContainerId("codeb-deadline-absent")));
      assertTrue(inspect.getMessage().startsWith("the podman engine at unix://" + socket
          + " did not answer within 3s while inspecting container codeb-deadline-absent"),
          inspect.getMessage());
      assertTrue(inspect.getMessage().contains("CODEB_PODMAN_CALL_TIMEOUT"),
          inspect.getMessage());
      // A run is cut at its first call, the image lookup, before any pull.
      UnavailableException run = failsWithin(limit, () -> runtime.run(
          new ContainerSpec("codeb-deadline-run", "localhost/codeb-deadline:1",
              Map.of("codeb.test", "call-deadline"), Map.of(), List.of(), List.of())));
      assertTrue(run.getMessage().contains("while looking up image localhost/codeb-deadline:1"),
          run.getMessage());
      // A stop has its grace period on top of the call timeout.
      UnavailableException stop = failsWithin(limit.plusSeconds(2),
          () -> runtime.stop(new ContainerId("codeb-deadline-absent"), Duration.ofSeconds(2)));
      assertTrue(stop.getMessage().contains("did not answer within 5s while stopping container"),
          stop.getMessage());
      // Discovery passes the frozen service (rootful here) and finds nothing else.
      try (PodmanRuntime discovering = PodmanRuntime.create(PodmanConfig.auto()
          .withRootfulSocket(socket).withEnvironment(PodmanTestSupportEnv.of(Map.of()))
          .withCallTimeout(limit))) {
        UnavailableException e = failsWithin(limit, discovering::ping);
        assertTrue(e.getMessage().contains("tried unix://" + socket
            + " (rootful): did not answer within 3s"), e.getMessage());
      }

      service.signal("CONT");
      // Thawed, the same runtime answers again (each call within its 3 s): the connections the
      // deadline cut are not reused.
      assertEquals("podman", runtime.ping().engine());
      assertEquals(Optional.empty(), runtime.inspect(new ContainerId("codeb-deadline-absent")));
      assertEquals(List.of(), runtime.list(Map.of("codeb.test", "call-deadline")));
    }
  }

  @Test
  void theCallTimeoutComesFromTheUriOrCodebPodmanCallTimeoutAndBadValuesAreRefused() {
    assertEquals(Duration.ofSeconds(20), PodmanRuntimeFactory.toPodmanConfig(config(
        "podman+unix:///run/p.sock?call-timeout=20s", Map.of())).callTimeout());
    assertEquals(Duration.ofMinutes(2), PodmanRuntimeFactory.toPodmanConfig(config(
        "podman:///?call-timeout=2m", Map.of())).callTimeout());
    assertEquals(Duration.ofMillis(1500), PodmanRuntimeFactory.toPodmanConfig(config(
        "podman+unix:///run/p.sock", Map.of("CODEB_PODMAN_CALL_TIMEOUT", "1500ms")))
        .callTimeout());
    assertEquals(Duration.ofMinutes(2), PodmanRuntimeFactory.toPodmanConfig(config(
        "podman+unix:///run/p.sock?call-timeout=2m", Map.of("CODEB_PODMAN_CALL_TIMEOUT", "5s")))
        .callTimeout(), "the URI wins");
    assertEquals(Duration.ofSeconds(60), PodmanRuntimeFactory.toPodmanConfig(config(
        "podman+unix:///run/p.sock", Map.of("CODEB_DOCKER_CALL_TIMEOUT", "5s"))).callTimeout(),
        "Docker's variable does not steer Podman; the default is 60 s");
    assertEquals(PodmanConfig.DEFAULT_CALL_TIMEOUT, PodmanConfig.auto().callTimeout());
    assertTrue(PodmanConfig.auto().withCallTimeout(Duration.ofSeconds(7)).toString()
        .contains("callTimeout=PT7S"));

    for (String bad : List.of("0s", "soon", "-3s", "1h", "1.5s", "20 s")) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class,
          () -> PodmanRuntimeFactory.toPodmanConfig(config("podman+unix:///run/p.sock"
              + "?call-timeout=" + bad.replace(" ", "%20"), Map.of())), bad);
      assertEquals("call-timeout='" + bad + "' is not a positive duration such as 500ms, 20s"
          + " or 2m", e.getMessage());
    }
    InvalidRequestException fromEnv = assertThrows(InvalidRequestException.class,
        () -> PodmanRuntimeFactory.toPodmanConfig(config("podman://",
            Map.of("CODEB_PODMAN_CALL_TIMEOUT", "forever"))));
    assertEquals("CODEB_PODMAN_CALL_TIMEOUT 'forever' is not a positive duration such as 500ms,"
        + " 20s or 2m", fromEnv.getMessage());
    // Over SSH the value is checked before any connection is tried (port 1: none would answer).
    InvalidRequestException ssh = assertThrows(InvalidRequestException.class,
        () -> new PodmanRuntimeFactory().create(config(
            "podman+ssh://deploy@127.0.0.1:1?call-timeout=0ms", Map.of())));
    assertEquals("call-timeout='0ms' is not a positive duration such as 500ms, 20s or 2m",
        ssh.getMessage());
    assertThrows(InvalidRequestException.class,
        () -> PodmanConfig.auto().withCallTimeout(Duration.ZERO));
  }

  private static ProviderConfig config(String uri, Map<String, String> env) {
    String text = uri.equals("podman://") ? "podman:///" : uri;
    return new ProviderConfig(URI.create(text), Map.of(), PodmanTestSupportEnv.of(env));
  }

  /** The call fails with an UnavailableException after {@code limit}, well before 15 s. */
  private static UnavailableException failsWithin(Duration limit, Runnable call) {
    long start = System.nanoTime();
    UnavailableException e = assertThrows(UnavailableException.class, call::run);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis >= limit.toMillis() - 50 && millis < limit.toMillis() + 15_000,
        "limit " + limit + ", failed after " + millis + " ms: " + e.getMessage());
    return e;
  }

  /** A Unix socket that accepts every connection and never reads nor answers. */
  private static final class FrozenSocket implements AutoCloseable {
    private final ServerSocketChannel server;
    private final List<SocketChannel> accepted = new ArrayList<>();

    private FrozenSocket(ServerSocketChannel server) {
      this.server = server;
    }

    static FrozenSocket open(Path socket) throws IOException {
      ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket));
      FrozenSocket frozen = new FrozenSocket(server);
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            SocketChannel c = server.accept();
            synchronized (frozen.accepted) {
              frozen.accepted.add(c);
            }
          }
        } catch (IOException closed) {
          // the test is over: the server socket was closed
        }
      }, "frozen-socket " + socket.getFileName());
      acceptor.setDaemon(true);
      acceptor.start();
      return frozen;
    }

    int accepted() {
      synchronized (accepted) {
        return accepted.size();
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      synchronized (accepted) {
        for (SocketChannel c : accepted) {
          c.close();
        }
      }
    }
  }

  /**
   * A {@code podman system service} of this test's own: its own storage (vfs under the temp
   * folder), run root and socket, so stopping it never stalls the shared service or its store.
   * Closing it thaws and ends it.
   */
  private static final class OwnService implements AutoCloseable {
    private final Process process;
    private final Path log;

    private OwnService(Process process, Path log) {
      this.process = process;
      this.log = log;
    }

    static OwnService start(Path dir, Path socket) throws IOException {
      Path log = dir.resolve("podman-service.log");
      Process process = new ProcessBuilder("podman",
          "--root", dir.resolve("storage").toString(),
          "--runroot", dir.resolve("run").toString(),
          "--tmpdir", dir.resolve("tmp").toString(),
          "--storage-driver", "vfs",
          "system", "service", "--time=0", "unix://" + socket)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      return new OwnService(process, log);
    }

    /** Pings until the service answers (30 s at most); its version. */
    RuntimeVersion awaitAnswer(PodmanRuntime runtime) throws Exception {
      long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (true) {
        if (!process.isAlive()) {
          throw new AssertionError("podman system service ended (" + process.exitValue() + "): "
              + Files.readString(log));
        }
        try {
          return runtime.ping();
        } catch (CodeBException notYet) {
          if (System.nanoTime() > until) {
            throw new AssertionError("podman system service did not answer within 30 s: "
                + Files.readString(log), notYet);
          }
          Thread.sleep(200);
        }
      }
    }

    /** Sends SIGSTOP or SIGCONT to the service. */
    void signal(String name) throws Exception {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
          .redirectErrorStream(true).start();
      String out = new String(kill.getInputStream().readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(kill.waitFor(10, TimeUnit.SECONDS), "kill -" + name + " did not end");
      assertEquals(0, kill.exitValue(), "kill -" + name + ": " + out);
    }

    @Override
    public void close() throws Exception {
      if (process.isAlive()) {
        signal("CONT");
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }
}
