package kr.codeb.http;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import kr.codeb.AuthException;
import kr.codeb.CodeBException;
import kr.codeb.UnavailableException;
import kr.codeb.fleet.ServerLink;
import kr.codeb.http.internal.Attempts;
import kr.codeb.http.internal.ErrorText;
import kr.codeb.http.internal.Redaction;
import kr.codeb.http.internal.RetryAfter;
import kr.codeb.http.internal.Transport;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP client of an adapter: sends {@link ApiCall}s to the API in its {@link ApiSettings}
 * and answers with an {@link ApiAnswer}, or throws from the {@link CodeBException} family.
 *
 * <p>Exact semantics of {@link #send}:
 * <ul>
 *   <li>A 2xx, or a status the call {@linkplain ApiCall#accepted accepts}, is the answer.
 *       Anything else becomes an exception through the adapter's {@link FailureMapping}; no
 *       complete answer (refused, reset, timed out) is an {@link UnavailableException} with
 *       status 0.</li>
 *   <li>An {@linkplain ApiCall#idempotent idempotent} call whose exception is
 *       {@linkplain CodeBException#isRetryable() retryable} (5xx, 429, no answer) is tried
 *       again, at most {@link ApiSettings#attempts} times in all, after a pause of
 *       {@link ApiSettings#firstPause} doubling each time (with up to 20 % jitter) or what a
 *       {@code Retry-After} asks for, capped at {@link ApiSettings#longestPause}; no attempt
 *       starts after {@link ApiSettings#retryBudget}. A call that is not idempotent is tried
 *       again only when its connection was refused (it never left this machine).</li>
 *   <li>A server whose TLS certificate fails the checks (untrusted, expired, another host
 *       name) is an {@link AuthException}, not tried again.</li>
 *   <li>Independently of that, a request written to a kept-alive connection that the server
 *       had closed (it fails before any answer arrives) is sent once more on a new connection,
 *       whatever the method: the server never saw it.</li>
 *   <li>The credential is sent only in its header. Every message has each echo of it removed
 *       (whole or any part of 8 characters or more, in any case).</li>
 *   <li>Safe for concurrent use.</li>
 * </ul>
 */
public final class ApiClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiClient.class);
  private static final MediaType JSON = MediaType.get("application/json");

  private final ApiSettings settings;
  private final FailureMapping mapping;
  private final String base;
  private final Transport transport;
  private final Attempts attempts;
  private final Optional<ServerLink> server;
  private final Optional<ServerLink.Forward> forward;

  private ApiClient(ApiSettings settings, FailureMapping mapping, Optional<ServerLink> server) {
    this.settings = settings;
    this.mapping = mapping;
    this.base = settings.base().toString().replaceFirst("/+$", "");
    this.server = server;
    this.forward = server.map(link -> link.forward(settings.base().getHost(), port(settings)));
    this.transport = new Transport(settings, forward.map(f -> OptionalInt.of(f.localPort()))
        .orElse(OptionalInt.empty()));
    this.attempts = new Attempts(settings);
  }

  private static int port(ApiSettings settings) {
    int port = settings.base().getPort();
    return port > 0 ? port
        : "https".equalsIgnoreCase(settings.base().getScheme()) ? 443 : 80;
  }

  /**
   * A client with the standard failure mapping. Does no I/O but reading the settings' trusted
   * certificates file, if any.
   */
  public static ApiClient open(ApiSettings settings) {
    return open(settings, FailureMapping.STANDARD);
  }

  /** A client whose failures become exceptions through {@code mapping}. Does no I/O. */
  public static ApiClient open(ApiSettings settings, FailureMapping mapping) {
    return open(settings, mapping, Optional.empty());
  }

  /**
   * A client for an API that listens on {@code server} (its address as that server sees it,
   * such as its own loopback), reached through a forward over the server's link; the URL,
   * {@code Host} header and TLS checks stay the API's own. The forward is opened now and closed
   * with the client; the link stays the caller's.
   */
  public static ApiClient open(ApiSettings settings, FailureMapping mapping,
      Optional<ServerLink> server) {
    return new ApiClient(Objects.requireNonNull(settings, "settings"),
        Objects.requireNonNull(mapping, "mapping"), Objects.requireNonNull(server, "server"));
  }

  public ApiSettings settings() {
    return settings;
  }

  /** How messages name the API: its name and address. */
  public String api() {
    return settings.name() + " at " + settings.base()
        + server.map(l -> " on " + l.endpoint().serverName()).orElse("");
  }

  /** Sends the call (see the class comment). */
  public ApiAnswer send(ApiCall call) {
    Objects.requireNonNull(call, "call");
    Request request = request(call);
    return attempts.run(call, attempt -> once(call, request, attempt));
  }

  /**
   * The exception a non-2xx {@code answer} to {@code call} maps to: for a status the call
   * accepted but that turns out to be a failure after all.
   */
  public CodeBException failure(ApiCall call, ApiAnswer answer) {
    return mapping.toException(failureOf(call, answer));
  }

  /** The text with every echo of the credential removed. */
  public String redact(String text) {
    return settings.credential().map(c -> Redaction.scrub(text, c.secret().reveal()))
        .orElse(text == null ? "" : text);
  }

  private Attempts.Outcome once(ApiCall call, Request request, int attempt) {
    Transport.Exchange exchange;
    try {
      exchange = transport.exchange(request);
    } catch (IOException e) {
      LOG.debug("{} {} failed: {} (attempt {})", settings.name(), call.what(), describe(e), attempt);
      if (untrustedCertificate(e)) {
        // The server's certificate failed the checks: another attempt would fail the same way.
        return Attempts.Outcome.failed(new AuthException(api() + " is not trusted (" + call.what()
            + "): its TLS certificate " + redact(describe(e)), settings.provider(), 0, e),
            false, Optional.empty());
      }
      UnavailableException failure = new UnavailableException(api() + " did not answer "
          + call.what() + ": " + redact(describe(e)), settings.provider(), 0, e);
      return Attempts.Outcome.failed(failure, e instanceof ConnectException, Optional.empty());
    }
    ApiAnswer answer = new ApiAnswer(exchange.status(), exchange.headers(), exchange.body());
    LOG.debug("{} {} -> {} (attempt {})", settings.name(), call.what(), answer.status(), attempt);
    if (answer.successful() || call.accepted().contains(answer.status())) {
      return Attempts.Outcome.answered(answer);
    }
    ApiFailure failure = failureOf(call, answer);
    return Attempts.Outcome.failed(mapping.toException(failure), false, failure.retryAfter());
  }

  private ApiFailure failureOf(ApiCall call, ApiAnswer answer) {
    return new ApiFailure(settings.provider(), api(), call.what(), answer.status(),
        redact(ErrorText.of(answer.body())),
        RetryAfter.parse(answer.header("Retry-After").orElse(null), Instant.now()));
  }

  private Request request(ApiCall call) {
    HttpUrl.Builder url = HttpUrl.get(base + call.path()).newBuilder();
    call.query().forEach(url::addQueryParameter);
    Request.Builder request = new Request.Builder().url(url.build())
        .header("Accept", "application/json")
        .header("User-Agent", "codeb");
    call.headers().forEach(request::header);
    settings.credential().ifPresent(c -> request.header(c.header(),
        c.prefix() + c.secret().reveal()));
    byte[] json = call.json();
    RequestBody body = json != null ? RequestBody.create(json, JSON)
        : call.method().equals("POST") || call.method().equals("PUT")
            || call.method().equals("PATCH") ? RequestBody.create(new byte[0], JSON) : null;
    return request.method(call.method(), body).build();
  }

  /** A certificate that is not trusted, expired, or for another host name. */
  static boolean untrustedCertificate(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.security.cert.CertificateException
          || t instanceof javax.net.ssl.SSLPeerUnverifiedException) {
        return true;
      }
    }
    return false;
  }

  /** A failure without an answer, for people: no Java class names. */
  static String describe(IOException e) {
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    if (e instanceof java.net.SocketTimeoutException
        || e instanceof java.io.InterruptedIOException && "timeout".equals(e.getMessage())) {
      return "timed out";
    }
    if (e instanceof java.net.UnknownHostException) {
      return "unknown host " + e.getMessage();
    }
    String m = e.getMessage() == null ? "" : e.getMessage();
    if (m.startsWith("unexpected end of stream") || e instanceof java.io.EOFException) {
      return "the connection closed before the answer was complete";
    }
    if (m.toLowerCase(java.util.Locale.ROOT).contains("reset")) {
      return "the connection was reset";
    }
    return m.isEmpty() ? "I/O error" : m;
  }

  @Override
  public void close() {
    try {
      transport.close();
    } finally {
      forward.ifPresent(ServerLink.Forward::close);
    }
  }

  @Override
  public String toString() {
    return "ApiClient[" + api() + "]";
  }
}
