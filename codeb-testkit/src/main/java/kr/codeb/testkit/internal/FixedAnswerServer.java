package kr.codeb.testkit.internal;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** An HTTP server on a loopback port that gives every request the same answer. */
public final class FixedAnswerServer {
  private FixedAnswerServer() {}

  /** The response header naming the address the answer came from. */
  public static final String SERVED_BY = "X-Served-By";

  /** Starts it on {@code 127.0.0.1:port}; the caller stops it. */
  public static HttpServer start(int port, int status, byte[] body) throws IOException {
    return start(InetAddress.getLoopbackAddress(), port, status, body);
  }

  /**
   * Starts it on {@code address:port}; every answer names the address in {@value #SERVED_BY},
   * so tests can tell servers on the same port apart. The caller stops it.
   */
  public static HttpServer start(InetAddress address, int port, int status, byte[] body)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 16);
    String servedBy = address.getHostAddress();
    server.createContext("/", exchange -> {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.getResponseHeaders().set(SERVED_BY, servedBy);
        boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        }
      }
    });
    server.start();
    return server;
  }
}
