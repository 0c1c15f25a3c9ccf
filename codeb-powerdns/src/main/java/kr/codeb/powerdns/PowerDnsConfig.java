package kr.codeb.powerdns;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderConfig;
import kr.codeb.Secret;

/**
 * Where the PowerDNS authoritative API is and how to authenticate.
 *
 * <p>As a URI: {@code powerdns+http://127.0.0.1:8081?server=localhost} ({@code powerdns+https://}
 * behind TLS). {@code server} is the PowerDNS server id, default {@code localhost}. The API key
 * never goes in the URI: it comes from the explicit credential {@code api-key}, else
 * {@code CODEB_POWERDNS_API_KEY}.
 *
 * @param api the API's base, as {@code http://127.0.0.1:8081}
 * @param server the server id in {@code /api/v1/servers/<server>}
 * @param apiKey the {@code X-API-Key}
 * @param timeout how long one call may take
 */
public record PowerDnsConfig(URI api, String server, Secret apiKey, Duration timeout) {
  /** The server id when none is given. */
  public static final String DEFAULT_SERVER = "localhost";
  private static final Set<String> PARAMS = Set.of("server");

  public PowerDnsConfig {
    Objects.requireNonNull(api, "api");
    String scheme = api.getScheme() == null ? "" : api.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || api.getHost() == null
        || api.getRawUserInfo() != null
        || !(api.getRawPath() == null || api.getRawPath().isEmpty() || api.getRawPath().equals("/"))) {
      throw new InvalidRequestException("invalid PowerDNS API address '" + api
          + "': use http://HOST:PORT or https://HOST:PORT without a path (e.g. http://127.0.0.1:8081)");
    }
    api = URI.create(scheme + "://" + api.getRawAuthority());
    if (server == null || !server.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new InvalidRequestException("invalid PowerDNS server id '" + server
          + "': use letters, digits, '.', '_', '-' (e.g. localhost)");
    }
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new InvalidRequestException("the PowerDNS timeout must be positive, not " + timeout);
    }
  }

  public static PowerDnsConfig of(URI api, Secret apiKey) {
    return new PowerDnsConfig(api, DEFAULT_SERVER, apiKey, Duration.ofSeconds(15));
  }

  public PowerDnsConfig withServer(String id) {
    return new PowerDnsConfig(api, id, apiKey, timeout);
  }

  public PowerDnsConfig withTimeout(Duration limit) {
    return new PowerDnsConfig(api, server, apiKey, limit);
  }

  /**
   * Reads a {@code powerdns+http://} or {@code powerdns+https://} URI and the API key.
   *
   * @throws InvalidRequestException if the URI has another form or no API key is given
   */
  public static PowerDnsConfig from(ProviderConfig config) {
    URI uri = config.uri();
    String scheme = config.scheme();
    if (!scheme.equals("powerdns+http") && !scheme.equals("powerdns+https")) {
      throw new InvalidRequestException("not a PowerDNS URI: '" + uri
          + "' (use powerdns+http://127.0.0.1:8081?server=localhost)");
    }
    if (uri.getHost() == null || uri.getPort() < 0 || uri.getRawUserInfo() != null) {
      throw new InvalidRequestException("PowerDNS URI '" + uri.getScheme() + "://"
          + (uri.getHost() == null ? "" : uri.getHost()) + "...' needs the API's host and port and"
          + " nothing else before them (e.g. powerdns+http://127.0.0.1:8081); the API key goes in"
          + " CODEB_POWERDNS_API_KEY");
    }
    String query = uri.getRawQuery();
    if (query != null) {
      for (String pair : query.split("&")) {
        String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
        if (!pair.isEmpty() && !PARAMS.contains(key)) {
          throw new InvalidRequestException("unknown PowerDNS URI parameter '" + key
              + "'; known: server (a key never goes in the URI: use CODEB_POWERDNS_API_KEY)");
        }
      }
    }
    Secret key = config.secret("powerdns", "api-key").orElseThrow(() ->
        new InvalidRequestException("no PowerDNS API key: set CODEB_POWERDNS_API_KEY or pass the"
            + " credential api-key (never in the URI)"));
    URI api = URI.create(scheme.substring("powerdns+".length()) + "://" + uri.getRawAuthority());
    return new PowerDnsConfig(api, config.query("server").orElse(DEFAULT_SERVER), key,
        Duration.ofSeconds(15));
  }
}
