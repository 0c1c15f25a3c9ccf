package kr.codeb.ssotserver;

import java.util.Objects;
import java.util.function.Consumer;
import kr.codeb.UnavailableException;
import kr.codeb.ports.SsotStore;
import kr.codeb.ssotserver.internal.ApiHandler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The SSOT over HTTP: a thin layer over an {@link SsotStore}, so that CI runners and tools on
 * other servers share one registry. Embedded Jetty 12 (its core API, no servlets).
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><th>request</th><th>scope</th><th>answer</th></tr>
 *   <tr><td>{@code GET /healthz}</td><td>none</td><td>200 {@code {"status":"ok"}}</td></tr>
 *   <tr><td>{@code GET /api/port/get?project=P&environment=E}</td><td>read</td>
 *       <td>200 {@code {"project","environment","blue","green"}}, or 404</td></tr>
 *   <tr><td>{@code GET /api/ssot}</td><td>read</td><td>200, the registry; {@code ETag} is its
 *       revision</td></tr>
 *   <tr><td>{@code GET /api/check}</td><td>read</td><td>200 {@code {"findings":[..]}}</td></tr>
 *   <tr><td>{@code POST /api/port/allocate}, body {@code {"project","environment"}}</td>
 *       <td>allocate</td><td>200 the pair ({@code "created"}); {@code ETag} the new revision</td></tr>
 *   <tr><td>{@code POST /api/port/release}, same body</td><td>allocate</td>
 *       <td>200 {@code {"released":bool}}</td></tr>
 * </table>
 *
 * <p>Writes need {@code If-Match} with the revision read (or {@code *}): 428 without it, 412
 * (with the current {@code ETag}) when the registry changed since; the comparison and the write
 * happen under one lock, so they are exact for every writer that goes through this server.
 * {@code Authorization: Bearer TOKEN}: 401 when missing or unknown, 403 for a scope the token
 * lacks; per token at most {@link SsotServerConfig#requestsPerSecond} (429, {@code Retry-After}).
 * Bodies beyond {@link SsotServerConfig#maxBodyBytes}: 413; malformed JSON, unknown fields, bad
 * names: 400 naming the problem. Every write is logged to {@code writeLog} as one JSON line
 * with the token's name, never its value. Errors are {@code {"error":{"kind","message"}}}.
 */
public final class SsotServer implements AutoCloseable {
  private final Server jetty;
  private final ServerConnector connector;

  private SsotServer(Server jetty, ServerConnector connector) {
    this.jetty = jetty;
    this.connector = connector;
  }

  /**
   * Starts listening; returns once requests are served.
   *
   * @throws UnavailableException if it cannot listen (address in use, not this machine's)
   */
  public static SsotServer start(SsotServerConfig config, SsotStore store, ServerTokens tokens,
      Consumer<String> writeLog) {
    Objects.requireNonNull(config, "config");
    QueuedThreadPool threads = new QueuedThreadPool(32, 4);
    threads.setName("codeb-ssot-server");
    Server jetty = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setRequestHeaderSize(8 * 1024);
    ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
    connector.setHost(config.host());
    connector.setPort(config.port());
    connector.setIdleTimeout(config.idleTimeout().toMillis());
    jetty.addConnector(connector);
    jetty.setHandler(new ApiHandler(config, store, tokens, writeLog));
    jetty.setStopTimeout(5_000);
    try {
      jetty.start();
    } catch (Exception e) {
      try {
        jetty.stop();
      } catch (Exception ignored) {
        // already failing
      }
      throw new UnavailableException("cannot listen on " + config.host() + ":" + config.port()
          + ": " + e.getMessage());
    }
    return new SsotServer(jetty, connector);
  }

  /** The port it listens on (the one chosen when the config said 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    jetty.join();
  }

  @Override
  public void close() {
    try {
      jetty.stop();
    } catch (Exception e) {
      throw new UnavailableException("stopping the SSOT server failed: " + e.getMessage());
    }
  }
}
