package kr.codeb.caddy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import kr.codeb.caddy.internal.SrvRouteJson;
import kr.codeb.model.IpAddress;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;

/**
 * A route's two slots for the SRV tests: loopback HTTP servers answering {@code blue\n} and
 * {@code green\n}. Each answer closes the connection, so Caddy resolves the SRV target for every
 * request; requests that reach the app with CodeB's probe header are counted (it must never be
 * forwarded).
 */
final class SlotServers implements AutoCloseable {
  final Upstream blue;
  final Upstream green;
  final AtomicInteger probeHeadersSeenByApp = new AtomicInteger();
  private final HttpServer blueServer;
  private final HttpServer greenServer;
  private final ExecutorService threads = Executors.newFixedThreadPool(8);

  private SlotServers() throws IOException {
    blueServer = serve("blue");
    greenServer = serve("green");
    blue = new Upstream(IpAddress.of("127.0.0.1"), blueServer.getAddress().getPort());
    green = new Upstream(IpAddress.of("127.0.0.1"), greenServer.getAddress().getPort());
  }

  static SlotServers start() throws IOException {
    return new SlotServers();
  }

  /** A new route ({@code <prefix><random>.codeb-tck.test}) to the blue slot. */
  Route routeToBlue(String prefix) {
    String id = prefix + UUID.randomUUID().toString().substring(0, 8);
    return new Route(id, List.of(id + ".codeb-tck.test"), blue);
  }

  private HttpServer serve(String name) throws IOException {
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    byte[] body = (name + "\n").getBytes(StandardCharsets.UTF_8);
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      if (exchange.getRequestHeaders().containsKey(SrvRouteJson.PROBE_HEADER)) {
        probeHeadersSeenByApp.incrementAndGet();
      }
      exchange.getResponseHeaders().set("Connection", "close");
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(200, head ? -1 : body.length);
      if (!head) {
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
    server.setExecutor(threads);
    server.start();
    return server;
  }

  @Override
  public void close() {
    blueServer.stop(0);
    greenServer.stop(0);
    threads.shutdownNow();
  }
}
