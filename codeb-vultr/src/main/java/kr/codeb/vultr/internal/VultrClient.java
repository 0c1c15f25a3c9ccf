package kr.codeb.vultr.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import kr.codeb.AuthException;
import kr.codeb.CodeBException;
import kr.codeb.NotFoundException;
import kr.codeb.UnavailableException;
import kr.codeb.http.ApiAnswer;
import kr.codeb.http.ApiCall;
import kr.codeb.http.ApiClient;
import kr.codeb.http.ApiFailure;
import kr.codeb.http.ApiSettings;
import kr.codeb.vultr.VultrConfig;

/**
 * Vultr API v2 on the shared HTTP layer ({@link ApiClient}): the key as
 * {@code Authorization: Bearer}, JSON in and out, CodeB's own pace of
 * {@link VultrConfig#requestsPerSecond()}, and the retries {@link VultrConfig} sets for GET and
 * DELETE (a POST is never resent once it may have reached Vultr). Failures map as
 * {@link ApiFailure#standardException()} says, an auth failure naming where the key comes from.
 */
public final class VultrClient implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** No attempt of one call starts later than this after the call began. */
  private static final Duration BUDGET = Duration.ofMinutes(1);

  private final ApiClient http;

  public VultrClient(VultrConfig config) {
    this.http = ApiClient.open(ApiSettings.of("vultr", "Vultr API", config.endpoint(),
            config.timeout())
        .withConnectTimeout(config.timeout())
        .withCredential("Authorization", "Bearer ", config.apiKey())
        .withRetries(config.attempts(), config.retryWait(), config.maxRetryWait(), BUDGET)
        .withRateLimit(config.requestsPerSecond()), VultrClient::toException);
  }

  /** A GET; the body as JSON. */
  public JsonNode get(String path, Map<String, String> query) {
    return json(http.send(ApiCall.get(path).withQuery(query)));
  }

  /** A POST of a JSON body (not idempotent); the answer's body. */
  public JsonNode post(String path, JsonNode body) {
    try {
      return json(http.send(ApiCall.send("POST", path, MAPPER.writeValueAsBytes(body), false)));
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree did not serialize", e);
    }
  }

  /** A DELETE; {@code false} when the thing was not there (404). */
  public boolean delete(String path) {
    try {
      http.send(ApiCall.delete(path));
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  private JsonNode json(ApiAnswer answer) {
    if (answer.text().isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return MAPPER.readTree(answer.body());
    } catch (IOException e) {
      throw new UnavailableException(http.api() + " answered with something that is not JSON",
          "vultr", answer.status(), e);
    }
  }

  private static CodeBException toException(ApiFailure f) {
    if (f.status() == 401 || f.status() == 403) {
      return new AuthException(f.text() + " (check the API key in CODEB_VULTR_API_KEY or"
          + " VULTR_API_KEY, and that it may be used from this address)", "vultr", f.status(),
          null);
    }
    return f.standardException();
  }

  @Override
  public void close() {
    http.close();
  }
}
