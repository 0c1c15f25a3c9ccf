package kr.codeb.caddy.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.UnavailableException;
import kr.codeb.http.ApiAnswer;
import kr.codeb.http.ApiCall;
import kr.codeb.http.ApiClient;
import kr.codeb.http.ApiFailure;
import kr.codeb.http.ApiSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The few calls CodeB makes to Caddy's admin API, on the shared HTTP layer ({@link ApiClient}),
 * with Caddy's errors mapped to CodeB's.
 *
 * <p>Retries: Caddy 2.6 restarts its admin endpoint on every config load, so a request that
 * arrives during another editor's change can be refused or reset. Reads are retried, and so are
 * changes guarded by {@code If-Match} (a replayed one gets 412 and is re-read) and PUT, PATCH
 * and DELETE (the same body gives the same config); an unguarded POST is not.
 *
 * <p>ETags: Caddy 2.6 sends the ETag of a GET as an HTTP trailer (after the chunked body), from
 * 2.8 as a header. Both are read; when neither arrives, the ETag is computed exactly as Caddy
 * does ({@code "<request path> <fnv1a-32 hex of the body>"}), which is what Caddy recomputes
 * when it checks {@code If-Match}.
 */
public final class AdminClient implements AutoCloseable {
  static final String PROVIDER = "caddy";
  private static final Logger LOG = LoggerFactory.getLogger(AdminClient.class);

  private final URI admin;
  private final ApiClient http;
  private final ObjectMapper mapper = new ObjectMapper();

  /** A value read from the config, with the ETag Caddy gave it. {@code body} is never null. */
  public record Snapshot(JsonNode body, String etag) {
    public boolean missing() {
      return body.isNull() || body.isMissingNode();
    }
  }

  public AdminClient(URI admin, Duration timeout) {
    this(admin, timeout, java.util.Optional.empty());
  }

  /** A client for the admin API of the Caddy on {@code server} when given. */
  public AdminClient(URI admin, Duration timeout, java.util.Optional<kr.codeb.fleet.ServerLink> server) {
    this.admin = admin;
    this.http = ApiClient.open(ApiSettings.of(PROVIDER, "Caddy admin API", admin, timeout)
        .withRetries(10, Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(3)),
        AdminClient::toException, server);
  }

  public URI admin() {
    return admin;
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  /** GET of a config path ({@code /config/...} or {@code /id/...}); a missing one reads as null. */
  public Snapshot get(String path) {
    ApiCall call = ApiCall.get(path).accepting(404, 400);
    ApiAnswer answer = http.send(call);
    if (answer.status() == 404
        || answer.status() == 400 && answer.text().contains("invalid traversal path")) {
      // A missing /id/ answers 404; a path below a missing parent 400 (a missing leaf: null).
      return new Snapshot(NullNode.getInstance(), null);
    }
    if (!answer.successful()) {
      throw http.failure(call, answer);
    }
    byte[] bytes = answer.body();
    String etag = answer.header("ETag").orElseGet(() -> etag(pathOf(path), bytes));
    try {
      JsonNode json = bytes.length == 0 ? NullNode.getInstance() : mapper.readTree(bytes);
      return new Snapshot(json == null ? NullNode.getInstance() : json, etag);
    } catch (JsonProcessingException e) {
      throw new UnavailableException("Caddy at " + admin + " answered GET " + path
          + " with something that is not JSON: " + e.getOriginalMessage(), PROVIDER, 0, e);
    } catch (IOException e) {
      throw new UnavailableException("Caddy at " + admin + " answered GET " + path
          + " with something unreadable", PROVIDER, 0, e);
    }
  }

  /**
   * A change ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE}), guarded by
   * {@code ifMatch} when not null.
   *
   * @return false if Caddy refused the change because the guarded part changed (412)
   */
  public boolean change(String method, String path, JsonNode body, String ifMatch) {
    byte[] json;
    try {
      json = body == null ? null : mapper.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    ApiCall call = ApiCall.send(method, path, json, ifMatch != null || !method.equals("POST"));
    if (ifMatch != null) {
      call = call.withHeader("If-Match", ifMatch).accepting(412);
    }
    LOG.debug("Caddy {} {} {}", method, path, body);
    ApiAnswer answer = http.send(call);
    if (answer.status() == 412) {
      LOG.debug("Caddy {} {}: the config changed since it was read (412)", method, path);
      return false;
    }
    return true;
  }

  /** The path part of a config path as Caddy hashes it for the ETag (without a query). */
  private static String pathOf(String path) {
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
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

  /** Caddy's answers as CodeB's family; Caddy 2.6 answers 500 for several caller mistakes. */
  static CodeBException toException(ApiFailure f) {
    String caddyMessage = f.message();
    String text = "Caddy at " + f.api().substring(f.api().indexOf(" at ") + 4) + " refused "
        + f.what() + " (HTTP " + f.status() + "): "
        + (caddyMessage.isEmpty() ? "no details" : caddyMessage);
    if (f.status() != 404 && (f.status() == 409 || caddyMessage.contains("already exists")
        || caddyMessage.contains("listener address repeated")
        || caddyMessage.contains("address already in use"))) {
      // 2.6 answers 500 for a PUT on an existing key (newer versions 409), and for a listen
      // address another server or process already has.
      return new ConflictException(text, PROVIDER, f.status(), null);
    }
    if (caddyMessage.startsWith("loading new config")) {
      // 2.6 answers 500 when the changed config does not load; the old config stays.
      return new InvalidRequestException(text, PROVIDER, f.status(), null);
    }
    return f.standardException(text);
  }

  @Override
  public void close() {
    http.close();
  }

  /** How often a change guarded by an ETag is tried before giving up. */
  public static final int ATTEMPTS = 40;

  /** A short, jittered pause before the next try of a change that lost a race (412). */
  public static void backOff(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L + 10L * Math.min(attempt, 10)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while retrying a Caddy change", e);
    }
  }
}
