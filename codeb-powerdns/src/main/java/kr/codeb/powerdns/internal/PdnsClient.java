package kr.codeb.powerdns.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kr.codeb.AuthException;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.RateLimitedException;
import kr.codeb.Secret;
import kr.codeb.UnavailableException;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the PowerDNS API: {@code X-API-Key} and {@code Accept: application/json} on
 * every call, errors mapped to the {@link CodeBException} family with PowerDNS's own message
 * (never the key), and a bounded retry (5 attempts, jittered, under about 3 s in all) on 5xx and connection errors for idempotent
 * calls only. PowerDNS closes the connection after each response, so no connection is pooled.
 */
public final class PdnsClient implements AutoCloseable {
  static final String PROVIDER = "powerdns";
  private static final Logger LOG = LoggerFactory.getLogger(PdnsClient.class);
  private static final MediaType JSON = MediaType.get("application/json");
  private static final int ATTEMPTS = 5;

  private final URI api;
  private final Secret key;
  private final OkHttpClient http;
  private final ObjectMapper mapper = new ObjectMapper();

  public PdnsClient(URI api, Secret key, Duration timeout) {
    this.api = api;
    this.key = key;
    this.http = new OkHttpClient.Builder()
        .connectTimeout(timeout)
        .readTimeout(timeout)
        .writeTimeout(timeout)
        .callTimeout(timeout.multipliedBy(2))
        .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
        .retryOnConnectionFailure(false)
        // Plain http (a loopback admin API): no TLS connection spec, so building the client
        // does not load the JDK's TLS stack and trust store (~60 ms of a cold start).
        .connectionSpecs("http".equalsIgnoreCase(api.getScheme())
            ? List.of(ConnectionSpec.CLEARTEXT)
            : List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT))
        .build();
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  /** The answer of a successful call: status and body ({@code null} node when empty). */
  public record Answer(int status, JsonNode body) {}

  /**
   * Sends one call; {@code what} names it in error messages ("read zone vsvs.kr.").
   *
   * @param idempotent whether a 5xx or a connection error may be retried
   */
  public Answer call(String method, String path, JsonNode body, boolean idempotent, String what) {
    CodeBException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        return once(method, path, body, what);
      } catch (UnavailableException e) {
        last = e;
        if (!idempotent) {
          throw e;
        }
        LOG.debug("PowerDNS {} failed (attempt {} of {}): {}", what, attempt, ATTEMPTS,
            e.getMessage());
        sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(50, 150L * attempt + 100));
      }
    }
    throw last;
  }

  private Answer once(String method, String path, JsonNode body, String what) {
    RequestBody requestBody = null;
    if (body != null) {
      try {
        requestBody = RequestBody.create(mapper.writeValueAsBytes(body), JSON);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    Request request = new Request.Builder()
        .url(api.toString() + path)
        .header("X-API-Key", key.reveal())
        .header("Accept", "application/json")
        .method(method, requestBody)
        .build();
    try (Response response = http.newCall(request).execute()) {
      ResponseBody rb = response.body();
      String text = rb == null ? "" : rb.string();
      int status = response.code();
      if (status >= 200 && status < 300) {
        JsonNode node = text.isBlank() ? NullNode.getInstance() : mapper.readTree(text);
        return new Answer(status, node);
      }
      throw mapStatus(status, errorOf(text), what);
    } catch (IOException e) {
      throw new UnavailableException("PowerDNS at " + api + " did not answer (" + what + "): "
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()),
          PROVIDER, 0, e);
    }
  }

  private String errorOf(String text) {
    try {
      JsonNode node = mapper.readTree(text);
      if (node != null && node.path("error").isTextual()) {
        return node.get("error").asText();
      }
    } catch (IOException e) {
      // not JSON: fall through to the text itself
    }
    String t = text.strip();
    return t.length() > 300 ? t.substring(0, 300) + "..." : t;
  }

  CodeBException mapStatus(int status, String message, String what) {
    String text = "PowerDNS at " + api + " refused to " + what + ": " + message + " (HTTP " + status
        + ")";
    if (status == 401 || status == 403) {
      return new AuthException("PowerDNS at " + api + " refused the API key (HTTP " + status
          + ", " + message + "): check CODEB_POWERDNS_API_KEY", PROVIDER, status, null);
    }
    if (status == 404) {
      return new NotFoundException(text, PROVIDER, status, null);
    }
    if (status == 409) {
      return new ConflictException(text, PROVIDER, status, null);
    }
    if (status == 429) {
      return new RateLimitedException(text, PROVIDER, status, null);
    }
    if (status >= 500) {
      return new UnavailableException(text, PROVIDER, status, null);
    }
    return new InvalidRequestException(text, PROVIDER, status, null);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while retrying a PowerDNS call", e);
    }
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
