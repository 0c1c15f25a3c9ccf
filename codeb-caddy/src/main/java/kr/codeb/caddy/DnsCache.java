package kr.codeb.caddy;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.Secret;

/**
 * A serve-stale DNS cache between Caddy and PowerDNS for {@code switch=srv}: a PowerDNS Recursor
 * (checked with 4.8) that forwards the switching zone to the PowerDNS authoritative server and
 * keeps answering the last records it got while that server is down.
 *
 * <p>With a cache, each SRV route asks the cache first and PowerDNS second (Caddy's
 * {@code multi} upstream source, in that order), so a switch keeps working with the cache down,
 * and traffic keeps going to the slot of the last switch with PowerDNS down; only with both down
 * does Caddy use the route's static upstream. After each record change CodeB flushes the changed
 * names from the cache through its REST API ({@code PUT /api/v1/servers/localhost/cache/flush}),
 * so a switch is not held back by the cache; a failed flush is logged and the switch still
 * completes (at worst one record TTL, 1 s, later). The recursor needs, besides its listener and
 * API: {@code forward-zones=<srv_zone>=<PowerDNS DNS host:port>},
 * {@code serve-stale-extensions} &gt; 0 (how long an outage is covered, in 30 s steps),
 * {@code packetcache-servfail-ttl=0}, {@code server-down-max-fails=0} and
 * {@code dont-throttle-netmasks=<PowerDNS address>/32} (otherwise it keeps failing for a minute
 * after PowerDNS returns), and {@code dnssec=off} or a negative trust anchor for the zone
 * (a private zone has no DNSSEC chain); {@code scripts/test-env.sh} writes such a config.
 *
 * <p>As URI parameters of the proxy: {@code dns_cache=powerdns-recursor+http://127.0.0.1:8082}
 * (URL-encoded: {@code powerdns-recursor%2Bhttp://...}) and
 * {@code dns_cache_resolver=127.0.0.1:5300}; the API key comes from
 * {@code CODEB_POWERDNS_RECURSOR_API_KEY}, never from the URI.
 *
 * @param api the recursor's REST API, as {@code http://127.0.0.1:8082}
 * @param resolver the recursor's DNS listener, an IP literal and port ({@code 127.0.0.1:5300},
 *     {@code [::1]:5300})
 * @param apiKey its {@code api-key}; never shown by {@link #toString()}
 * @param timeout how long one flush may take
 */
public record DnsCache(URI api, String resolver, Secret apiKey, Duration timeout) {
  /** The URI scheme prefix of a recursor's API in the proxy URI. */
  public static final String SCHEME = "powerdns-recursor";

  private static final Pattern ADDRESS = Pattern.compile(
      "(\\d{1,3}(?:\\.\\d{1,3}){3}|\\[[0-9A-Fa-f:.]+])(?::(\\d{1,5}))");

  public DnsCache {
    Objects.requireNonNull(api, "api");
    String scheme = api.getScheme() == null ? "" : api.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || api.getHost() == null
        || api.getPort() < 0 || api.getRawUserInfo() != null || api.getRawQuery() != null
        || !(api.getRawPath() == null || api.getRawPath().isEmpty() || api.getRawPath().equals("/"))) {
      throw new InvalidRequestException("invalid DNS cache API address '" + api.getScheme() + "://"
          + api.getHost() + "...': use " + SCHEME + "+http://HOST:PORT without a path, a query"
          + " or user info (e.g. " + SCHEME + "+http://127.0.0.1:8082); the API key goes in"
          + " CODEB_POWERDNS_RECURSOR_API_KEY");
    }
    api = URI.create(scheme + "://" + api.getRawAuthority());
    checkResolver(resolver);
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new InvalidRequestException("the DNS cache timeout must be positive, not " + timeout);
    }
  }

  /** A cache with a 2 s flush timeout. */
  public static DnsCache of(URI api, String resolver, Secret apiKey) {
    return new DnsCache(api, resolver, apiKey, Duration.ofSeconds(2));
  }

  /**
   * {@code powerdns-recursor+http://HOST:PORT} (or {@code +https}) as the API address.
   *
   * @throws InvalidRequestException for any other form
   */
  public static URI apiOf(String uri) {
    String prefix = SCHEME + "+";
    if (uri == null || !uri.toLowerCase(Locale.ROOT).startsWith(prefix)) {
      throw new InvalidRequestException("dns_cache must be " + SCHEME + "+http://HOST:PORT (the"
          + " PowerDNS Recursor's API, URL-encoded as " + SCHEME + "%2Bhttp://127.0.0.1:8082), not "
          + Checks.quote(Checks.redactedUri(uri)));
    }
    try {
      return URI.create(uri.substring(prefix.length()));
    } catch (IllegalArgumentException e) {
      // The reason only: the message of URI.create repeats the input, which may hold a password.
      throw new InvalidRequestException("dns_cache " + Checks.quote(Checks.redactedUri(uri))
          + " is not a URI");
    }
  }

  private static void checkResolver(String resolver) {
    Matcher m = resolver == null ? null : ADDRESS.matcher(resolver);
    boolean ok = m != null && m.matches();
    if (ok) {
      int port = Integer.parseInt(m.group(2));
      ok = port >= 1 && port <= 65535;
      if (ok && !m.group(1).startsWith("[")) {
        for (String octet : m.group(1).split("\\.")) {
          ok &= Integer.parseInt(octet) <= 255;
        }
      }
    }
    if (!ok) {
      throw new InvalidRequestException("invalid dns_cache_resolver '" + resolver + "': use the"
          + " recursor's DNS listener as IP:PORT (e.g. 127.0.0.1:5300 or [::1]:5300); Caddy dials"
          + " it directly, so no host name");
    }
  }

  @Override
  public String toString() {
    return "DnsCache[api=" + api + ", resolver=" + resolver + ", apiKey=" + apiKey + ", timeout="
        + timeout + "]";
  }
}
