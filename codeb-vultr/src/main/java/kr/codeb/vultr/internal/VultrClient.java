package kr.codeb.vultr.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import kr.codeb.AuthException;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.RateLimitedException;
import kr.codeb.UnavailableException;
import kr.codeb.vultr.VultrConfig;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the Vultr adapter: okhttp with a rate limiter in front of every attempt and
 * a bounded retry behind it. GET and DELETE are retried on 429, 5xx and connection errors; a
 * POST only when the connection was refused (nothing was sent). A {@code Retry-After} (seconds
 * or an HTTP date) sets the pause, capped at {@link VultrConfig#maxRetryWait()}. Failures become
 * CodeB exceptions: 401/403 auth, 404 not found, 400/422 invalid request (with Vultr's
 * {@code error} text), 409 conflict, 429 rate limited, 5xx and I/O unavailable. The API key is
 * sent only in the {@code Authorization} header and scrubbed from every message.
 */
public final class VultrClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VultrClient.class);
  private static final MediaType JSON = MediaType.get("application/json");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final VultrConfig config;
  private final HttpUrl base;
  private final OkHttpClient http;
  private final RateLimiter limiter;
  private final Retry idempotent;
  private final Retry notIdempotent;

  public VultrClient(VultrConfig config) {
    this.config = config;
    this.base = HttpUrl.get(config.endpoint().toString());
    this.http = new OkHttpClient.Builder()
        .connectTimeout(config.timeout())
        .readTimeout(config.timeout())
        .writeTimeout(config.timeout())
        .callTimeout(config.timeout().multipliedBy(2))
        // okhttp would silently resend a request on some connection failures, POSTs included.
        .retryOnConnectionFailure(false)
        .followRedirects(false)
        .build();
    this.limiter = RateLimiter.of("vultr", RateLimiterConfig.custom()
        .limitForPeriod(1)
        .limitRefreshPeriod(Duration.ofNanos(1_000_000_000L / config.requestsPerSecond()))
        .timeoutDuration(Duration.ofMinutes(2))
        .build());
    IntervalBiFunction<Object> pause = (attempt, outcome) -> pauseMillis(attempt,
        outcome.isLeft() ? outcome.getLeft() : null);
    Predicate<Throwable> retryable = t -> t instanceof HttpFailure f && f.retryable()
        || t instanceof TransportFailure;
    Predicate<Throwable> refused = t -> t instanceof TransportFailure f && f.notSent();
    this.idempotent = Retry.of("vultr-idempotent", RetryConfig.custom()
        .maxAttempts(config.attempts()).intervalBiFunction(pause).retryOnException(retryable).build());
    this.notIdempotent = Retry.of("vultr-post", RetryConfig.custom()
        .maxAttempts(config.attempts()).intervalBiFunction(pause).retryOnException(refused).build());
  }

  /** A GET; the body as JSON. */
  public JsonNode get(String path, Map<String, String> query) {
    return call("GET", path, query, null);
  }

  /** A POST of a JSON body; the answer's body. */
  public JsonNode post(String path, JsonNode body) {
    return call("POST", path, Map.of(), body);
  }

  /** A DELETE; {@code false} when the thing was not there (404). */
  public boolean delete(String path) {
    try {
      call("DELETE", path, Map.of(), null);
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  private JsonNode call(String method, String path, Map<String, String> query, JsonNode body) {
    HttpUrl.Builder url = base.newBuilder();
    for (String segment : path.replaceFirst("^/", "").split("/")) {
      url.addPathSegment(segment);
    }
    query.forEach(url::addQueryParameter);
    Request.Builder request = new Request.Builder().url(url.build())
        .header("Authorization", "Bearer " + config.apiKey().reveal())
        .header("Accept", "application/json")
        .header("User-Agent", "codeb-vultr");
    if (body != null) {
      request.method(method, RequestBody.create(write(body), JSON));
    } else {
      request.method(method, method.equals("POST") ? RequestBody.create(new byte[0], JSON) : null);
    }
    Request built = request.build();
    String what = method + " " + path;
    AtomicInteger attempts = new AtomicInteger();
    long started = System.nanoTime();
    Retry retry = method.equals("POST") ? notIdempotent : idempotent;
    try {
      return retry.executeCheckedSupplier(() -> once(built, what, attempts.incrementAndGet()));
    } catch (HttpFailure f) {
      throw failure(f, what, attempts.get(), started);
    } catch (TransportFailure f) {
      throw new UnavailableException("could not reach the Vultr API at " + base.host() + " for "
          + what + " (" + attempts.get() + attempt(attempts.get()) + " over "
          + elapsed(started) + "): " + scrub(f.getCause().toString()), "vultr", 0, f.getCause());
    } catch (CodeBException e) {
      throw e;
    } catch (Throwable t) {
      throw new UnavailableException("Vultr call " + what + " failed: " + scrub(t.toString()),
          "vultr", 0, t);
    }
  }

  private JsonNode once(Request request, String what, int attempt)
      throws HttpFailure, TransportFailure {
    if (!limiter.acquirePermission()) {
      throw new RateLimitedException("waited too long for CodeB's own Vultr rate limit ("
          + config.requestsPerSecond() + " requests per second) before " + what, "vultr", 0, null);
    }
    try (Response response = http.newCall(request).execute()) {
      String text = response.body() == null ? "" : response.body().string();
      int status = response.code();
      LOG.debug("Vultr {} -> {} (attempt {})", what, status, attempt);
      if (status >= 200 && status < 300) {
        return text.isBlank() ? MissingNode.getInstance() : MAPPER.readTree(text);
      }
      throw new HttpFailure(status, errorText(text), retryAfter(response.header("Retry-After")));
    } catch (IOException e) {
      LOG.debug("Vultr {} failed: {} (attempt {})", what, e.getClass().getSimpleName(), attempt);
      throw new TransportFailure(e, e instanceof ConnectException);
    }
  }

  private CodeBException failure(HttpFailure f, String what, int attempts, long started) {
    String error = f.error().isEmpty() ? "" : ": " + scrub(f.error());
    int s = f.status();
    String at = "Vultr API answered " + s + " to " + what;
    if (s == 401 || s == 403) {
      return new AuthException(at + error + " (check the API key in CODEB_VULTR_API_KEY or"
          + " VULTR_API_KEY, and that it may be used from this address)", "vultr", s, null);
    }
    if (s == 404) {
      return new NotFoundException(at + error, "vultr", s, null);
    }
    if (s == 400 || s == 422) {
      return new InvalidRequestException(at + error, "vultr", s, null);
    }
    if (s == 409) {
      return new ConflictException(at + error, "vultr", s, null);
    }
    String tries = " (" + attempts + attempt(attempts) + " over " + elapsed(started) + ")";
    if (s == 429) {
      return new RateLimitedException(at + tries + error + ": too many requests; try again later",
          "vultr", s, null);
    }
    if (s >= 500) {
      return new UnavailableException(at + tries + error + ": Vultr failed on its side",
          "vultr", s, null);
    }
    return new InvalidRequestException(at + error, "vultr", s, null);
  }

  private static String attempt(int n) {
    return n == 1 ? " attempt" : " attempts";
  }

  private static String elapsed(long started) {
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    return ms < 1000 ? ms + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  long pauseMillis(int attempt, Throwable failure) {
    long cap = config.maxRetryWait().toMillis();
    if (failure instanceof HttpFailure f && f.retryAfter() != null) {
      return Math.max(0, Math.min(cap, f.retryAfter().toMillis()));
    }
    long base = config.retryWait().toMillis() << Math.min(Math.max(attempt - 1, 0), 10);
    long jitter = ThreadLocalRandom.current().nextLong(base / 5 + 1);
    return Math.min(cap, base + jitter);
  }

  /** The pause a {@code Retry-After} asks for: seconds, or an HTTP date; null when absent. */
  static Duration retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String h = header.trim();
    if (h.matches("\\d{1,6}")) {
      return Duration.ofSeconds(Long.parseLong(h));
    }
    try {
      Instant at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(Instant.now(), at);
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String errorText(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    try {
      JsonNode node = MAPPER.readTree(body);
      JsonNode error = node.path("error");
      if (error.isTextual()) {
        return error.asText();
      }
    } catch (IOException e) {
      // not JSON: show the start of it
    }
    String flat = body.replaceAll("\\s+", " ").trim();
    return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
  }

  /** The text with the API key (should an answer ever echo it) replaced. */
  private String scrub(String text) {
    String key = config.apiKey().reveal();
    return text == null ? "" : text.replace(key, "[redacted]");
  }

  private static byte[] write(JsonNode body) {
    try {
      return MAPPER.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree did not serialize", e);
    }
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  /** An answer other than 2xx. */
  static final class HttpFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String error;
    private final transient Duration retryAfter;

    HttpFailure(int status, String error, Duration retryAfter) {
      super("HTTP " + status, null, false, false);
      this.status = status;
      this.error = error;
      this.retryAfter = retryAfter;
    }

    int status() {
      return status;
    }

    String error() {
      return error;
    }

    Duration retryAfter() {
      return retryAfter;
    }

    boolean retryable() {
      return status == 429 || status >= 500;
    }
  }

  /** No answer: the connection failed or timed out. */
  static final class TransportFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean notSent;

    TransportFailure(IOException cause, boolean notSent) {
      super(cause.getClass().getSimpleName(), cause, false, false);
      this.notSent = notSent;
    }

    boolean notSent() {
      return notSent;
    }
  }
}
