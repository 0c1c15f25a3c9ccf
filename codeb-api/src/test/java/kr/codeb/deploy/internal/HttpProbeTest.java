package kr.codeb.deploy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The health probe against a loopback HTTP server: statuses, refusals, silence, redirects. */
class HttpProbeTest {
  private HttpServer server;
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/health", exchange -> answer(exchange, 200, "ok"));
    server.createContext("/broken", exchange -> answer(exchange, 503, "down for maintenance"));
    server.createContext("/moved", exchange -> {
      exchange.getResponseHeaders().set("Location", "/health");
      answer(exchange, 302, "");
    });
    server.createContext("/silent", exchange -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      answer(exchange, 200, "late");
    });
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  private URI at(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Test
  void aHealthyAnswerIsOkAndAnErrorStatusIsReportedAsIs() {
    HttpProbe.Answer ok = HttpProbe.get(at("/health"), Duration.ofSeconds(2));
    assertTrue(ok.ok());
    assertEquals("HTTP 200", ok.description());
    HttpProbe.Answer broken = HttpProbe.get(at("/broken"), Duration.ofSeconds(2));
    assertFalse(broken.ok());
    assertEquals(503, broken.status());
    assertEquals(404, HttpProbe.get(at("/nowhere"), Duration.ofSeconds(2)).status());
  }

  @Test
  void aRedirectIsNotFollowed() {
    HttpProbe.Answer moved = HttpProbe.get(at("/moved"), Duration.ofSeconds(2));
    assertEquals(302, moved.status());
    assertFalse(moved.ok());
  }

  @Test
  void nothingListeningIsAConnectionFailureNotAnException() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    HttpProbe.Answer answer = HttpProbe.get(URI.create("http://127.0.0.1:" + closed + "/health"),
        Duration.ofSeconds(2));
    assertEquals(0, answer.status());
    assertTrue(answer.description().startsWith("connection failed"), answer.description());
  }

  @Test
  void aSilentServerIsNoAnswerWithinTheTimeout() {
    long start = System.nanoTime();
    HttpProbe.Answer answer = HttpProbe.get(at("/silent"), Duration.ofMillis(300));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(0, answer.status());
    assertEquals("no answer within 300 ms", answer.description());
    assertTrue(ms < 5_000, "returned after " + ms + " ms");
  }
}
