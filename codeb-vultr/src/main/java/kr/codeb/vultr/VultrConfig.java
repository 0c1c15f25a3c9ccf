package kr.codeb.vultr;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import kr.codeb.AuthException;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderConfig;
import kr.codeb.Secret;

/**
 * Where the Vultr API is, the API key, and how politely to call it.
 *
 * <p>As a URI: {@code vultr://} is {@code https://api.vultr.com/v2}; {@code vultr+http://HOST:PORT}
 * and {@code vultr+https://HOST[:PORT]} point elsewhere (a test fake), at {@code /v2} unless the
 * URI has a path. Parameters: {@code rate} (requests per second, 1-30, default
 * {@value #DEFAULT_RATE}) and {@code attempts} (tries per idempotent call, 1-10, default
 * {@value #DEFAULT_ATTEMPTS}). The API key never goes in the URI: it comes from the explicit
 * credential {@code api-key}, then {@code CODEB_VULTR_API_KEY}, then {@code VULTR_API_KEY}.
 *
 * @param endpoint the API's base, as {@code https://api.vultr.com/v2}
 * @param apiKey the API key (sent as {@code Authorization: Bearer}; never printed)
 * @param requestsPerSecond at most this many requests per second leave this provider (Vultr
 *     answers 429 above 30)
 * @param attempts how many times an idempotent call (GET, DELETE) is tried on 429, 5xx or a
 *     connection error
 * @param retryWait the first pause between attempts; it doubles each time (unless the answer
 *     says {@code Retry-After})
 * @param maxRetryWait the longest single pause; an answer whose {@code Retry-After} asks for
 *     longer is not retried
 * @param timeout how long one HTTP call may take
 */
public record VultrConfig(
    URI endpoint,
    Secret apiKey,
    int requestsPerSecond,
    int attempts,
    Duration retryWait,
    Duration maxRetryWait,
    Duration timeout) {

  /** Vultr's own API. */
  public static final URI VULTR = URI.create("https://api.vultr.com/v2");
  public static final int DEFAULT_RATE = 25;
  public static final int DEFAULT_ATTEMPTS = 4;

  private static final Set<String> PARAMS = Set.of("rate", "attempts");

  public VultrConfig {
    Objects.requireNonNull(endpoint, "endpoint");
    String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || endpoint.getHost() == null
        || endpoint.getRawUserInfo() != null || endpoint.getRawQuery() != null) {
      throw new InvalidRequestException("invalid Vultr API endpoint '" + endpoint
          + "': use https://HOST[:PORT]/PATH without user info or query (e.g. " + VULTR + ")");
    }
    String path = endpoint.getRawPath() == null ? "" : endpoint.getRawPath().replaceFirst("/+$", "");
    endpoint = URI.create(scheme + "://" + endpoint.getRawAuthority() + path);
    Objects.requireNonNull(apiKey, "apiKey");
    if (requestsPerSecond < 1 || requestsPerSecond > 30) {
      throw new InvalidRequestException("Vultr rate " + requestsPerSecond
          + " is outside 1-30 requests per second (Vultr answers 429 above 30)");
    }
    if (attempts < 1 || attempts > 10) {
      throw new InvalidRequestException("Vultr attempts " + attempts + " is outside 1-10");
    }
    requirePositive("retry wait", retryWait);
    requirePositive("longest retry wait", maxRetryWait);
    requirePositive("timeout", timeout);
  }

  private static void requirePositive(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new InvalidRequestException("the Vultr " + what + " must be positive, not " + d);
    }
  }

  /** Vultr's own API with this key and the defaults. */
  public static VultrConfig of(Secret apiKey) {
    return of(VULTR, apiKey);
  }

  /** An API at {@code endpoint} with this key and the defaults. */
  public static VultrConfig of(URI endpoint, Secret apiKey) {
    return new VultrConfig(endpoint, apiKey, DEFAULT_RATE, DEFAULT_ATTEMPTS,
        Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofSeconds(30));
  }

  public VultrConfig withRate(int perSecond) {
    return new VultrConfig(endpoint, apiKey, perSecond, attempts, retryWait, maxRetryWait, timeout);
  }

  public VultrConfig withRetries(int tries, Duration firstWait, Duration longestWait) {
    return new VultrConfig(endpoint, apiKey, requestsPerSecond, tries, firstWait, longestWait,
        timeout);
  }

  public VultrConfig withTimeout(Duration limit) {
    return new VultrConfig(endpoint, apiKey, requestsPerSecond, attempts, retryWait, maxRetryWait,
        limit);
  }

  /**
   * Reads a {@code vultr://}, {@code vultr+http://} or {@code vultr+https://} URI and finds the
   * API key (see the class comment). Does no I/O.
   *
   * @throws InvalidRequestException if the URI does not have that form
   * @throws AuthException if no API key is found
   */
  public static VultrConfig from(ProviderConfig config) {
    URI uri = config.uri();
    String scheme = config.scheme();
    URI endpoint;
    String usage = " (use vultr:// for " + VULTR + ", or vultr+http://HOST:PORT for another"
        + " endpoint)";
    switch (scheme) {
      case "vultr" -> {
        if (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()
            || uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
          throw new InvalidRequestException("vultr:// takes no host or path: '" + uri + "'" + usage);
        }
        endpoint = VULTR;
      }
      case "vultr+http", "vultr+https" -> {
        if (uri.getHost() == null) {
          throw new InvalidRequestException("Vultr URI '" + uri + "' needs a host" + usage);
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty()
            || uri.getRawPath().equals("/") ? "/v2" : uri.getRawPath();
        endpoint = URI.create(scheme.substring("vultr+".length()) + "://" + uri.getRawAuthority()
            + path);
      }
      default -> throw new InvalidRequestException("not a Vultr URI: '" + uri + "'" + usage);
    }
    String query = uri.getRawQuery();
    if (query != null) {
      for (String pair : query.split("&")) {
        String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
        if (!pair.isEmpty() && !PARAMS.contains(key)) {
          throw new InvalidRequestException("unknown Vultr URI parameter '" + key + "' in '" + uri
              + "'; known: rate, attempts (the API key goes in CODEB_VULTR_API_KEY, never in the"
              + " URI)");
        }
      }
    }
    Secret key = config.secret("vultr", "api-key", "VULTR_API_KEY").orElseThrow(() ->
        new AuthException("no Vultr API key: tried the credential api-key and the environment"
            + " variables CODEB_VULTR_API_KEY and VULTR_API_KEY; set one of them", "vultr", 0, null));
    VultrConfig result = of(endpoint, key);
    if (config.query("rate").isPresent()) {
      result = result.withRate(number("rate", config.query("rate").get()));
    }
    if (config.query("attempts").isPresent()) {
      result = result.withRetries(number("attempts", config.query("attempts").get()),
          result.retryWait(), result.maxRetryWait());
    }
    return result;
  }

  private static int number(String name, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new InvalidRequestException("Vultr URI parameter " + name + " must be a whole number,"
          + " not '" + value + "'");
    }
  }

  @Override
  public String toString() {
    return "VultrConfig[endpoint=" + endpoint + ", apiKey=" + apiKey + ", requestsPerSecond="
        + requestsPerSecond + ", attempts=" + attempts + ", retryWait=" + retryWait
        + ", maxRetryWait=" + maxRetryWait + ", timeout=" + timeout + "]";
  }
}
