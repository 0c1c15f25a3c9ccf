package kr.codeb.tck;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import kr.codeb.model.IpAddress;
import kr.codeb.proxy.Upstream;

/** The blue and green upstreams of {@link ReverseProxyContract}: each answers with its name. */
final class NamedUpstreams {
  private NamedUpstreams() {}

  /** An HTTP server on loopback answering every request with 200 and {@code name}. */
  static HttpServer start(String name) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      byte[] body = name.getBytes(StandardCharsets.UTF_8);
      server.createContext("/", exchange -> {
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      });
      server.setExecutor(Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tck-upstream-" + name);
        t.setDaemon(true);
        return t;
      }));
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the " + name + " upstream", e);
    }
  }

  /** Where the proxy reaches {@code server}. */
  static Upstream upstreamOf(HttpServer server) {
    return new Upstream(IpAddress.of(server.getAddress().getAddress().getHostAddress()),
        server.getAddress().getPort());
  }
}
