package kr.codeb.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderConfig;
import kr.codeb.UnavailableException;
import kr.codeb.runtime.ContainerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine that accepts connections and never answers (a frozen dockerd: the kernel accepts,
 * nobody reads) fails each call at the call timeout, naming the engine and the call, instead
 * of hanging: docker-java's Unix-socket transport has no socket timeout of its own.
 */
class DockerCallDeadlineTest {
  @TempDir Path dir;

  @Test
  @Timeout(30)
  void aCallToAnEngineThatNeverAnswersFailsAtTheCallTimeout() throws Exception {
    Path socket = dir.resolve("frozen.sock");
    List<SocketChannel> accepted = new ArrayList<>();
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            SocketChannel c = server.accept(); // accepted, never read nor answered
            synchronized (accepted) {
              accepted.add(c);
            }
          }
        } catch (java.io.IOException closed) {
          // the test is over: the server socket was closed
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      try (DockerRuntime runtime = DockerRuntime.create(DockerConfig.unix(socket)
          .withCallTimeout(Duration.ofMillis(600)))) {
        long start = System.nanoTime();
        UnavailableException e = assertThrows(UnavailableException.class,
            () -> runtime.inspect(new ContainerId("acme-production-postgres")));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 550 && millis < 10_000, "failed after " + millis + " ms");
        assertTrue(e.getMessage().contains("did not answer within 0.6s while inspecting"
            + " container acme-production-postgres"), e.getMessage());
        assertTrue(e.getMessage().contains(socket.toString()), e.getMessage());
        assertFalse(Thread.currentThread().isInterrupted(), "the watchdog's interrupt is cleared");
        // the next call is cut the same way (the broken connection is not reused forever)
        assertThrows(UnavailableException.class, () -> runtime.list(Map.of("a", "b")));
      }
    } finally {
      synchronized (accepted) {
        for (SocketChannel c : accepted) {
          c.close();
        }
      }
    }
  }

  @Test
  void theCallTimeoutComesFromTheUriOrTheEnvironmentAndBadValuesAreRefused() {
    assertEquals(Duration.ofSeconds(20), DockerRuntimeFactory.toDockerConfig(config(
        "docker+unix:///run/d.sock?call-timeout=20s", null)).callTimeout());
    assertEquals(Duration.ofMillis(1500), DockerRuntimeFactory.toDockerConfig(config(
        "docker+unix:///run/d.sock", "1500ms")).callTimeout());
    assertEquals(Duration.ofMinutes(2), DockerRuntimeFactory.toDockerConfig(config(
        "docker+unix:///run/d.sock?call-timeout=2m", "5s")).callTimeout(), "the URI wins");
    assertEquals(DockerConfig.DEFAULT_CALL_TIMEOUT, DockerRuntimeFactory.toDockerConfig(config(
        "docker+unix:///run/d.sock", null)).callTimeout());
    for (String bad : List.of("0s", "soon", "-3s", "1h")) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class,
          () -> DockerRuntimeFactory.toDockerConfig(config("docker+unix:///run/d.sock"
              + "?call-timeout=" + bad, null)));
      assertTrue(e.getMessage().contains("call-timeout"), e.getMessage());
    }
  }

  private static ProviderConfig config(String uri, String variable) {
    return new ProviderConfig(URI.create(uri), Map.of(),
        n -> n.equals("CODEB_DOCKER_CALL_TIMEOUT") ? variable : null);
  }
}
