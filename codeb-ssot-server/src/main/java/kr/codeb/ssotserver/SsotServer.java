package kr.codeb.ssotserver;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import kr.codeb.UnavailableException;
import kr.codeb.ports.SsotStore;
import kr.codeb.ssotserver.internal.ApiHandler;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
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
 *   <tr><td>{@code GET /api/ssot/document}</td><td>read</td><td>200, the registry as an SSOT
 *       v7 document with every field the model carries (what the {@code http(s)://} store
 *       reads); {@code ETag} is its revision</td></tr>
 *   <tr><td>{@code GET /api/check}</td><td>read</td><td>200 {@code {"findings":[..]}}</td></tr>
 *   <tr><td>{@code POST /api/port/allocate}, body {@code {"project","environment"}}, optionally
 *       {@code "portsInUse":[..]} (host ports to skip)</td>
 *       <td>allocate</td><td>200 the pair ({@code "created"}); {@code ETag} the new revision</td></tr>
 *   <tr><td>{@code POST /api/port/release}, body {@code {"project","environment"}}</td>
 *       <td>allocate</td><td>200 {@code {"released":bool}}</td></tr>
 *   <tr><td>{@code POST /api/ssot/repair}, body {@code {"dropUnclaimed":bool}}</td>
 *       <td>repair</td><td>200 {@code {"written","changes":[..],"remaining":[..]}}</td></tr>
 * </table>
 *
 * <p>Each write is one {@code RegistryEdit} that the store applies to the registry as stored
 * at that moment, under the store's own atomicity (also against processes that use the file
 * directly).
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
    return start(config, Optional.empty(), store, tokens, writeLog);
  }

  /**
   * The same, speaking HTTPS with {@code tls} when given (HTTP/1.1 over TLS 1.2 or 1.3).
   *
   * @throws UnavailableException if it cannot listen, or the key store cannot be opened (a
   *     wrong password, not PKCS#12); the message never holds the password
   */
  public static SsotServer start(SsotServerConfig config, Optional<ServerTls> tls,
      SsotStore store, ServerTokens tokens, Consumer<String> writeLog) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(tls, "tls");
    QueuedThreadPool threads = new QueuedThreadPool(32, 4);
    threads.setName("codeb-ssot-server");
    Server jetty = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setRequestHeaderSize(8 * 1024);
    ServerConnector connector = tls.isEmpty()
        ? new ServerConnector(jetty, new HttpConnectionFactory(http))
        : new ServerConnector(jetty, new SslConnectionFactory(sslContext(tls.get()),
            HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(secure(http)));
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
          + (tls.isPresent() ? " with TLS from " + tls.get().keyStore() : "") + ": "
          + e.getMessage());
    }
    return new SsotServer(jetty, connector);
  }

  private static SslContextFactory.Server sslContext(ServerTls tls) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStoreType("PKCS12");
    ssl.setKeyStorePath(tls.keyStore().toAbsolutePath().toString());
    ssl.setKeyStorePassword(tls.password().reveal());
    ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    return ssl;
  }

  private static HttpConfiguration secure(HttpConfiguration http) {
    HttpConfiguration https = new HttpConfiguration(http);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // One site per server: a client that names the server by its IP sends no SNI to check.
    secure.setSniHostCheck(false);
    https.addCustomizer(secure);
    return https;
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
