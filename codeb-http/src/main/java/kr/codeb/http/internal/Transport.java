package kr.codeb.http.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import kr.codeb.http.ApiSettings;
import okhttp3.Connection;
import okhttp3.ConnectionSpec;
import okhttp3.Headers;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OkHttp client per API, and one exchange on it: the request out, the whole answer in.
 *
 * <p>Connections are kept alive and reused. A server may close an idle kept-alive connection at
 * any time (many do after a few seconds, some after every response without saying so); the
 * next request written to it then fails before any answer arrives, typically with "unexpected
 * end of stream". Such a request never reached the server's application, so it is sent once
 * more on a new connection, whatever its method. OkHttp's own {@code retryOnConnectionFailure}
 * is off because it also resends a request that failed on a fresh connection when the host
 * has another address (which the server may have processed), and its reuse detection is not
 * visible to the caller; here the rule is exactly: failed on a connection that had already
 * carried an answer, before this request's answer began, and not by a timeout (a slow server
 * may be working on it).
 */
public final class Transport implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Transport.class);

  private final OkHttpClient http;
  /** Connections that have carried a complete answer's head: a failure on them may be staleness. */
  private final Map<Connection, Boolean> answered =
      Collections.synchronizedMap(new WeakHashMap<>());

  /** An answer as read: status, headers then trailers by lower-case name, body. */
  public record Exchange(int status, Map<String, List<String>> headers, byte[] body) {}

  /** A request that failed on a reused connection before its answer began. */
  static final class StaleConnection extends IOException {
    private static final long serialVersionUID = 1L;

    StaleConnection(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  public Transport(ApiSettings settings) {
    this(settings, java.util.OptionalInt.empty());
  }

  /**
   * A transport whose connections go to {@code 127.0.0.1:forwardPort} when given (a forward to
   * the server running the API), the URL staying the API's own.
   */
  public Transport(ApiSettings settings, java.util.OptionalInt forwardPort) {
    OkHttpClient.Builder builder = new OkHttpClient.Builder();
    settings.trustedCertificates().map(TrustedCertificates::load).ifPresent(trust ->
        builder.sslSocketFactory(trust.context().getSocketFactory(), trust.trustManager()));
    if (forwardPort.isPresent()) {
      builder.socketFactory(new ForwardedSockets(forwardPort.getAsInt()))
          .dns(ForwardedSockets.loopbackDns());
    }
    this.http = builder
        .connectTimeout(settings.connectTimeout())
        .readTimeout(settings.callTimeout())
        .writeTimeout(settings.callTimeout())
        .callTimeout(settings.callTimeout())
        .retryOnConnectionFailure(false)
        .followRedirects(false)
        .followSslRedirects(false)
        // Plain http (a loopback admin API) needs no TLS connection spec; without one, building
        // the client does not load the JDK's TLS stack and trust store, which a CLI start pays for.
        .connectionSpecs("http".equalsIgnoreCase(settings.base().getScheme())
            ? List.of(ConnectionSpec.CLEARTEXT)
            : List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT))
        .addNetworkInterceptor(this::watchReuse)
        .build();
  }

  private Response watchReuse(Interceptor.Chain chain) throws IOException {
    Connection connection = chain.connection();
    boolean reused = connection != null && answered.containsKey(connection);
    try {
      Response response = chain.proceed(chain.request());
      if (connection != null) {
        answered.put(connection, Boolean.TRUE);
      }
      return response;
    } catch (InterruptedIOException e) {
      throw e;
    } catch (IOException e) {
      throw reused && !answerBegan(e) ? new StaleConnection(e) : e;
    }
  }

  /**
   * Whether part of the answer's head had arrived: okio's end-of-stream while reading the status
   * line says how many bytes it held ({@code limit=N}).
   */
  static boolean answerBegan(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.io.EOFException && t.getMessage() != null) {
        java.util.regex.Matcher m = HELD.matcher(t.getMessage());
        return m.find() && !m.group(1).equals("0");
      }
    }
    return false;
  }

  private static final java.util.regex.Pattern HELD =
      java.util.regex.Pattern.compile("limit=(\\d+)");

  /**
   * Sends {@code request} and reads the whole answer; a stale kept-alive connection costs one
   * more try on a new connection (see the class comment).
   *
   * @throws IOException when no complete answer arrived
   */
  public Exchange exchange(Request request) throws IOException {
    try {
      return once(request);
    } catch (StaleConnection e) {
      LOG.debug("{} {}: the kept-alive connection was closed by the server ({}); sending it again"
          + " on a new connection", request.method(), request.url().encodedPath(), e.getMessage());
      // The server closed one idle connection; the others it holds idle are likely gone too.
      http.connectionPool().evictAll();
      try {
        return once(request);
      } catch (StaleConnection again) {
        throw (IOException) again.getCause();
      }
    }
  }

  private Exchange once(Request request) throws IOException {
    try (Response response = http.newCall(request).execute()) {
      ResponseBody body = response.body();
      byte[] bytes = body == null ? new byte[0] : body.bytes();
      Map<String, List<String>> headers = new LinkedHashMap<>();
      add(headers, response.headers());
      add(headers, response.trailers());
      return new Exchange(response.code(), headers, bytes);
    }
  }

  private static void add(Map<String, List<String>> into, Headers headers) {
    for (String name : headers.names()) {
      into.putIfAbsent(name.toLowerCase(Locale.ROOT), List.copyOf(headers.values(name)));
    }
  }

  public OkHttpClient okHttp() {
    return http;
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
