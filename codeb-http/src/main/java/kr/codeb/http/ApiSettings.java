package kr.codeb.http;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import kr.codeb.InvalidRequestException;
import kr.codeb.Secret;

/**
 * How an adapter talks to one HTTP API: where it is, its credential, timeouts and retries.
 *
 * @param provider the provider id put on every exception ({@code caddy}, {@code powerdns})
 * @param name how messages name the API ("Caddy admin API", "PowerDNS", "Vultr API")
 * @param base the API's base URI ({@code http://127.0.0.1:2019}); call paths are appended to it
 * @param credential the header that carries the API key, if any; its secret is sent in that
 *     header only and redacted from every message (see {@link ApiClient})
 * @param connectTimeout the longest wait for a TCP connection
 * @param callTimeout the longest one attempt may take, from sending to the end of the body
 * @param attempts how many times an idempotent call is tried (1 = never retried)
 * @param firstPause the pause before the second attempt; it doubles for each further one
 * @param longestPause the longest single pause, also for a {@code Retry-After}
 * @param retryBudget no attempt starts later than this after the call began
 * @param requestsPerSecond at most this many attempts per second leave the client, in bursts of
 *     up to a fifth of it (0: no limit)
 * @param trustedCertificates for {@code https}: a PEM file of the CA certificates (or the
 *     self-signed certificate) to trust instead of the JDK's, as {@code curl --cacert}; empty:
 *     the JDK's trust store. The host name is checked against the certificate either way.
 */
public record ApiSettings(
    String provider,
    String name,
    URI base,
    Optional<Credential> credential,
    Duration connectTimeout,
    Duration callTimeout,
    int attempts,
    Duration firstPause,
    Duration longestPause,
    Duration retryBudget,
    int requestsPerSecond,
    Optional<Path> trustedCertificates) {

  private static final Pattern PROVIDER = Pattern.compile("[a-z][a-z0-9-]{0,31}");

  /**
   * A header holding a secret: {@code header: prefix + secret}.
   *
   * @param header the header's name ({@code X-API-Key}, {@code Authorization})
   * @param prefix what precedes the secret in the header ({@code "Bearer "}), or empty
   * @param secret the secret
   */
  public record Credential(String header, String prefix, Secret secret) {
    public Credential {
      Objects.requireNonNull(header, "header");
      Objects.requireNonNull(prefix, "prefix");
      Objects.requireNonNull(secret, "secret");
      if (!header.matches("[A-Za-z0-9-]+")) {
        throw new InvalidRequestException("invalid header name '" + header + "'");
      }
    }
  }

  public ApiSettings {
    Objects.requireNonNull(provider, "provider");
    if (!PROVIDER.matcher(provider).matches()) {
      throw new InvalidRequestException("invalid provider id '" + provider
          + "': use lower-case letters, digits and '-'");
    }
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(base, "base");
    String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || base.getHost() == null
        || base.getRawUserInfo() != null || base.getRawQuery() != null) {
      throw new InvalidRequestException("invalid " + name + " address '" + base
          + "': use http(s)://HOST[:PORT][/PATH] without user info or query");
    }
    Objects.requireNonNull(credential, "credential");
    positive("connect timeout", connectTimeout);
    positive("call timeout", callTimeout);
    if (attempts < 1 || attempts > 20) {
      throw new InvalidRequestException("attempts " + attempts + " is outside 1-20");
    }
    positive("first pause", firstPause);
    positive("longest pause", longestPause);
    positive("retry budget", retryBudget);
    if (requestsPerSecond < 0 || requestsPerSecond > 1000) {
      throw new InvalidRequestException("requests per second " + requestsPerSecond
          + " is outside 0-1000 (0: no limit)");
    }
    Objects.requireNonNull(trustedCertificates, "trustedCertificates");
  }

  private static void positive(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new InvalidRequestException("the " + what + " must be positive, not " + d);
    }
  }

  /**
   * An API without a credential: connect within 5 s, each attempt within {@code timeout}, 4
   * attempts of an idempotent call 100 ms apart and doubling (at most 2 s), within 10 s.
   */
  public static ApiSettings of(String provider, String name, URI base, Duration timeout) {
    return new ApiSettings(provider, name, base, Optional.empty(), Duration.ofSeconds(5), timeout,
        4, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(10), 0,
        Optional.empty());
  }

  /** The same with the API key sent as {@code header: prefix + secret}. */
  public ApiSettings withCredential(String header, String prefix, Secret secret) {
    return new ApiSettings(provider, name, base, Optional.of(new Credential(header, prefix, secret)),
        connectTimeout, callTimeout, attempts, firstPause, longestPause, retryBudget,
        requestsPerSecond, trustedCertificates);
  }

  public ApiSettings withConnectTimeout(Duration limit) {
    return new ApiSettings(provider, name, base, credential, limit, callTimeout, attempts,
        firstPause, longestPause, retryBudget, requestsPerSecond, trustedCertificates);
  }

  /** {@code tries} attempts, pausing {@code first}, doubling up to {@code longest}, within {@code budget}. */
  public ApiSettings withRetries(int tries, Duration first, Duration longest, Duration budget) {
    return new ApiSettings(provider, name, base, credential, connectTimeout, callTimeout, tries,
        first, longest, budget, requestsPerSecond, trustedCertificates);
  }

  public ApiSettings withRateLimit(int perSecond) {
    return new ApiSettings(provider, name, base, credential, connectTimeout, callTimeout, attempts,
        firstPause, longestPause, retryBudget, perSecond, trustedCertificates);
  }

  /** The same trusting only the certificates in the PEM file {@code pem} (see the record). */
  public ApiSettings withTrustedCertificates(Path pem) {
    return new ApiSettings(provider, name, base, credential, connectTimeout, callTimeout, attempts,
        firstPause, longestPause, retryBudget, requestsPerSecond,
        Optional.of(Objects.requireNonNull(pem, "pem")));
  }

  @Override
  public String toString() {
    return "ApiSettings[" + provider + " at " + base + ", credential="
        + credential.map(c -> c.header() + ": [redacted]").orElse("none") + ", attempts="
        + attempts + trustedCertificates.map(p -> ", trusting " + p).orElse("") + "]";
  }
}
