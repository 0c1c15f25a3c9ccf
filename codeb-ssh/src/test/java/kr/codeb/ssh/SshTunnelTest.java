package kr.codeb.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import kr.codeb.InvalidRequestException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Local port forwarding through the real test sshd to an HTTP server this test starts on
 * 127.0.0.1 (reached by the server side of the tunnel).
 */
class SshTunnelTest {
  private static final int PARALLEL = 8;

  private HttpServer http;
  private final CountDownLatch allArrived = new CountDownLatch(PARALLEL);
  private final ExecutorService clients = Executors.newFixedThreadPool(PARALLEL);

  @BeforeEach
  void startHttp() throws IOException {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 64);
    http.setExecutor(Executors.newCachedThreadPool());
    http.createContext("/hello", exchange -> {
      byte[] body = ("hello " + exchange.getRequestURI().getQuery()).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    // answers only when PARALLEL requests are in flight at once: proves concurrent tunnel connections
    http.createContext("/together", exchange -> {
      allArrived.countDown();
      boolean all;
      try {
        all = allArrived.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        all = false;
      }
      byte[] body = (all ? "together" : "alone").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    http.start();
  }

  @AfterEach
  void stop() {
    clients.shutdownNow();
    http.stop(0);
  }

  private static HttpResponse<String> get(HttpClient client, int port, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void forwardsHttpThroughTheServer() throws Exception {
    try (SshConnection ssh = Ssh.connect(TestSsh.target(), TestSsh.config());
        Tunnel tunnel = ssh.forward("127.0.0.1", http.getAddress().getPort())) {
      assertEquals("127.0.0.1", tunnel.localHost());
      assertTrue(tunnel.localPort() > 0 && tunnel.localPort() != http.getAddress().getPort());
      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<String> r = get(client, tunnel.localPort(), "/hello?x=1");
      assertEquals(200, r.statusCode());
      assertEquals("hello x=1", r.body());
      // new connections keep working (not a one-shot forward)
      assertEquals("hello x=2", get(HttpClient.newHttpClient(), tunnel.localPort(), "/hello?x=2").body());
    }
  }

  @Test
  void acceptsSeveralConnectionsAtOnce() throws Exception {
    try (SshConnection ssh = Ssh.connect(TestSsh.target(), TestSsh.config());
        Tunnel tunnel = ssh.forward("127.0.0.1", http.getAddress().getPort())) {
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < PARALLEL; i++) {
        // one HttpClient each: separate TCP connections through the tunnel
        answers.add(clients.submit(() -> get(HttpClient.newHttpClient(), tunnel.localPort(), "/together").body()));
      }
      for (Future<String> a : answers) {
        assertEquals("together", a.get(30, TimeUnit.SECONDS));
      }
    }
  }

  @Test
  void closingTheTunnelStopsListening() throws Exception {
    SshConnection ssh = Ssh.connect(TestSsh.target(), TestSsh.config());
    try {
      Tunnel tunnel = ssh.forward("127.0.0.1", http.getAddress().getPort());
      int port = tunnel.localPort();
      assertTrue(tunnel.isOpen());
      tunnel.close();
      assertFalse(tunnel.isOpen());
      assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
      // closing the connection closes tunnels opened through it
      Tunnel second = ssh.forward("127.0.0.1", http.getAddress().getPort());
      ssh.close();
      assertFalse(second.isOpen());
      assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", second.localPort()).close());
    } finally {
      ssh.close();
    }
  }

  @Test
  void closeReturnsOnlyOnceThePortRefusesConnections() {
    // a thread blocked in accept() keeps the listening socket alive until it wakes up, so a
    // close that did not wait for it left a short window in which connections were accepted
    try (SshConnection ssh = Ssh.connect(TestSsh.target(), TestSsh.config())) {
      for (int i = 0; i < 200; i++) {
        Tunnel tunnel = ssh.forward("127.0.0.1", http.getAddress().getPort());
        int port = tunnel.localPort();
        tunnel.close();
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(),
            "round " + i + ": port " + port + " still accepts after close");
      }
    }
  }

  @Test
  void badDestinationsAreRefused() {
    try (SshConnection ssh = Ssh.connect(TestSsh.target(), TestSsh.config())) {
      assertThrows(InvalidRequestException.class, () -> ssh.forward("127.0.0.1", 0));
      assertThrows(InvalidRequestException.class, () -> ssh.forward("a host", 80));
      assertThrows(InvalidRequestException.class, () -> ssh.forward("", 80));
    }
  }
}
