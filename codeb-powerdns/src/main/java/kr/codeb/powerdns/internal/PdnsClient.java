package kr.codeb.powerdns.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import kr.codeb.AuthException;
import kr.codeb.CodeBException;
import kr.codeb.Secret;
import kr.codeb.UnavailableException;
import kr.codeb.http.ApiAnswer;
import kr.codeb.http.ApiCall;
import kr.codeb.http.ApiClient;
import kr.codeb.http.ApiFailure;
import kr.codeb.http.ApiSettings;

/**
 * The PowerDNS API on the shared HTTP layer ({@link ApiClient}): the key in {@code X-API-Key},
 * JSON in and out, PowerDNS's own error text in messages (never the key), and up to 5 attempts
 * of an idempotent call within 3 s.
 */
public final class PdnsClient implements AutoCloseable {
  static final String PROVIDER = "powerdns";

  private final ApiClient http;
  private final ObjectMapper mapper = new ObjectMapper();

  public PdnsClient(URI api, Secret key, Duration timeout) {
    this(api, key, timeout, java.util.Optional.empty());
  }

  /** A client for the API of the PowerDNS on {@code server} when given. */
  public PdnsClient(URI api, Secret key, Duration timeout,
      java.util.Optional<kr.codeb.fleet.ServerLink> server) {
    this.http = ApiClient.open(ApiSettings.of(PROVIDER, "PowerDNS", api, timeout)
        .withConnectTimeout(timeout)
        .withCredential("X-API-Key", "", key)
        .withRetries(5, Duration.ofMillis(50), Duration.ofMillis(800), Duration.ofSeconds(3)),
        PdnsClient::toException, server);
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  /** The answer of a successful call: status and body ({@code null} node when empty). */
  public record Answer(int status, JsonNode body) {}

  /**
   * Sends one call; {@code what} names it in error messages ("read zone vsvs.kr.").
   *
   * @param idempotent whether a 5xx or a failure without an answer may be retried
   */
  public Answer call(String method, String path, JsonNode body, boolean idempotent, String what) {
    byte[] json;
    try {
      json = body == null ? null : mapper.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree did not serialize", e);
    }
    ApiAnswer answer = http.send(ApiCall.send(method, path, json, idempotent).describedAs(what));
    try {
      JsonNode node = answer.body().length == 0 || answer.text().isBlank()
          ? NullNode.getInstance() : mapper.readTree(answer.body());
      return new Answer(answer.status(), node);
    } catch (IOException e) {
      throw new UnavailableException(http.api() + " answered " + what
          + " with something that is not JSON", PROVIDER, answer.status(), e);
    }
  }

  private static CodeBException toException(ApiFailure f) {
    if (f.status() == 401 || f.status() == 403) {
      return new AuthException(f.api() + " refused the API key (HTTP " + f.status() + ", "
          + f.message() + "): check CODEB_POWERDNS_API_KEY", PROVIDER, f.status(), null);
    }
    return f.standardException(f.api() + " refused to " + f.what() + ": " + f.message()
        + " (HTTP " + f.status() + ")");
  }

  @Override
  public void close() {
    http.close();
  }
}
