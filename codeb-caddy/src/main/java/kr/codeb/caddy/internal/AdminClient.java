package kr.codeb.caddy.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import kr.codeb.AuthException;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.RateLimitedException;
import kr.codeb.UnavailableException;
import okhttp3.ConnectionSpec;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The few calls CodeB makes to Caddy's admin API, with Caddy's errors mapped to CodeB's.
 *
 * <p>ETags: Caddy 2.6 sends the ETag of a GET as an HTTP trailer (after the chunked body), from
 * 2.8 as a header. Both are read; when neither arrives, the ETag is computed exactly as Caddy
 * does ({@code "<request path> <fnv1a-32 hex of the body>"}), which is what Caddy recomputes
 * when it checks {@code If-Match}.
 */
public final class AdminClient implements AutoCloseable {
  static final String PROVIDER = "caddy";
  private static final Logger LOG = LoggerFactory.getLogger(AdminClient.class);
  private static final MediaType JSON = MediaType.get("application/json");
  /** About 1.1 s of retries in all (see {@link #execute}). */
  private static final int IO_ATTEMPTS = 10;

  private final URI admin;
  private final OkHttpClient http;
  private final ObjectMapper mapper = new ObjectMapper();

  /** A value read from the config, with the ETag Caddy gave it. {@code body} is never null. */
  public record Snapshot(JsonNode body, String etag) {
    public boolean missing() {
      return body.isNull() || body.isMissingNode();
    }
  }

  public AdminClient(URI admin, Duration timeout) {
    this.admin = admin;
    this.http = new OkHttpClient.Builder()
        .connectTimeout(Duration.ofSeconds(5))
        .callTimeout(timeout)
        .readTimeout(timeout)
        // Plain http (a loopback admin API): no TLS connection spec, so building the client
        // does not load the JDK's TLS stack and trust store (~60 ms of a cold start).
        .connectionSpecs("http".equalsIgnoreCase(admin.getScheme())
            ? List.of(ConnectionSpec.CLEARTEXT)
            : List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT))
        .build();
  }

  public URI admin() {
    return admin;
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  /** GET of a config path ({@code /config/...} or {@code /id/...}); a missing one reads as null. */
  public Snapshot get(String path) {
    Request request = new Request.Builder().url(url(path)).get()
        .header("Accept", "application/json").build();
    try (Response response = execute(request)) {
      ResponseBody body = response.body();
      byte[] bytes = body == null ? new byte[0] : body.bytes();
      if (response.code() == 404 || response.code() == 400
          && new String(bytes, StandardCharsets.UTF_8).contains("invalid traversal path")) {
        // A missing /id/ answers 404; a path below a missing parent 400 (a missing leaf: null).
        return new Snapshot(NullNode.getInstance(), null);
      }
      if (!response.isSuccessful()) {
        throw error("GET", path, response.code(), bytes, null);
      }
      String etag = response.header("ETag");
      if (etag == null) {
        etag = response.trailers().get("ETag");
      }
      if (etag == null) {
        etag = etag(request.url().encodedPath(), bytes);
      }
      JsonNode json = bytes.length == 0 ? NullNode.getInstance() : mapper.readTree(bytes);
      return new Snapshot(json == null ? NullNode.getInstance() : json, etag);
    } catch (JsonProcessingException e) {
      throw new UnavailableException("Caddy at " + admin + " answered GET " + path
          + " with something that is not JSON: " + e.getOriginalMessage(), PROVIDER, 0, e);
    } catch (IOException e) {
      throw unreachable(e);
    }
  }

  /**
   * A change ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE}), guarded by
   * {@code ifMatch} when not null.
   *
   * @return false if Caddy refused the change because the guarded part changed (412)
   */
  public boolean change(String method, String path, JsonNode body, String ifMatch) {
    RequestBody content = null;
    if (body != null) {
      try {
        content = RequestBody.create(mapper.writeValueAsBytes(body), JSON);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    } else if (!method.equals("DELETE")) {
      content = RequestBody.create(new byte[0], JSON);
    }
    Request.Builder request = new Request.Builder().url(url(path)).method(method, content)
        .header("Accept", "application/json");
    if (ifMatch != null) {
      request.header("If-Match", ifMatch);
    }
    LOG.debug("Caddy {} {} {}", method, path, body);
    try (Response response = execute(request.build())) {
      ResponseBody responseBody = response.body();
      byte[] bytes = responseBody == null ? new byte[0] : responseBody.bytes();
      if (response.isSuccessful()) {
        return true;
      }
      if (response.code() == 412 && ifMatch != null) {
        LOG.debug("Caddy {} {}: the config changed since it was read (412)", method, path);
        return false;
      }
      throw error(method, path, response.code(), bytes, null);
    } catch (IOException e) {
      throw unreachable(e);
    }
  }

  /**
   * Sends a request, retrying I/O failures for a moment: Caddy 2.6 restarts its admin endpoint on
   * every config load, so a request that arrives during another editor's change can be refused
   * or reset. Repeating is safe: reads are reads, CodeB's list changes carry {@code If-Match}
   * (a replayed one gets 412 and is re-read), and the upstream switch is idempotent.
   */
  private Response execute(Request request) throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < IO_ATTEMPTS; attempt++) {
      if (attempt > 0) {
        try {
          Thread.sleep(20L * attempt);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw last;
        }
      }
      try {
        return http.newCall(request).execute();
      } catch (IOException e) {
        LOG.debug("Caddy {} {} failed ({}), attempt {}", request.method(), request.url(), e, attempt + 1);
        last = e;
      }
    }
    throw last;
  }

  /** The ETag Caddy gives a GET of {@code path} that answered {@code body}. */
  public static String etag(String path, byte[] body) {
    int hash = 0x811c9dc5;
    for (byte b : body) {
      hash ^= b & 0xff;
      hash *= 0x01000193;
    }
    return "\"" + path + " " + String.format("%08x", hash) + "\"";
  }

  private HttpUrl url(String path) {
    HttpUrl url = HttpUrl.get(admin.toString() + path);
    return url;
  }

  private UnavailableException unreachable(IOException e) {
    String why = e instanceof ConnectException ? "connection refused" : e.toString();
    return new UnavailableException("Caddy admin API at " + admin + " is unreachable ("
        + why + "); is Caddy running with its admin endpoint on that address?", PROVIDER, 0, e);
  }

  /** Maps Caddy's {@code {"error":"..."}} answer to CodeB's family. */
  CodeBException error(String method, String path, int status, byte[] body, Throwable cause) {
    String message = new String(body, StandardCharsets.UTF_8).trim();
    try {
      JsonNode json = mapper.readTree(body);
      if (json != null && json.hasNonNull("error")) {
        message = json.get("error").asText();
      }
    } catch (IOException e) {
      // not JSON: keep the text
    }
    String text = "Caddy at " + admin + " refused " + method + " " + path + " (HTTP " + status
        + "): " + (message.isEmpty() ? "no details" : message);
    return mapStatus(status, message, text, cause);
  }

  static CodeBException mapStatus(int status, String caddyMessage, String text, Throwable cause) {
    if (status == 404) {
      return new NotFoundException(text, PROVIDER, status, cause);
    }
    if (status == 409 || status == 412 || caddyMessage.contains("already exists")
        || caddyMessage.contains("listener address repeated")
        || caddyMessage.contains("address already in use")) {
      // 2.6 answers 500 for a PUT on an existing key (newer versions 409), and for a listen
      // address another server or process already has.
      return new ConflictException(text, PROVIDER, status, cause);
    }
    if (status == 401 || status == 403) {
      return new AuthException(text, PROVIDER, status, cause);
    }
    if (status == 429) {
      return new RateLimitedException(text, PROVIDER, status, cause);
    }
    if (status >= 400 && status < 500 || caddyMessage.startsWith("loading new config")) {
      // 2.6 answers 500 when the changed config does not load; the old config stays.
      return new InvalidRequestException(text, PROVIDER, status, cause);
    }
    return new UnavailableException(text, PROVIDER, status, cause);
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  /** How often a change guarded by an ETag is tried before giving up. */
  public static final int ATTEMPTS = 40;

  /** A short, jittered pause before the next try of a change that lost a race (412). */
  public static void backOff(int attempt) {
    try {
      Thread.sleep(java.util.concurrent.ThreadLocalRandom.current()
          .nextLong(5, 20L + 10L * Math.min(attempt, 10)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new kr.codeb.UnavailableException("interrupted while retrying a Caddy change", e);
    }
  }
}
