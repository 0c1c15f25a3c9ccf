package kr.codeb.caddy.internal;

import java.time.Duration;
import java.util.Map;
import kr.codeb.AuthException;
import kr.codeb.CodeBException;
import kr.codeb.caddy.DnsCache;
import kr.codeb.http.ApiCall;
import kr.codeb.http.ApiClient;
import kr.codeb.http.ApiSettings;
import kr.codeb.model.DnsName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes names from a PowerDNS Recursor's caches right after CodeB changed them in PowerDNS:
 * {@code PUT /api/v1/servers/localhost/cache/flush?domain=<name>} with {@code X-API-Key}
 * (checked on 4.8.8: it clears the record cache and the packet cache for that name, the next
 * query for it goes to PowerDNS). Without it the recursor would keep answering the previous SRV
 * record for up to its TTL (1 s). A failed flush only delays the switch by that TTL, so it is
 * logged, never thrown, and tried once. The key is sent only in the header; it never appears in
 * a log line.
 */
public final class CacheFlush implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CacheFlush.class);

  private final DnsCache cache;
  private final ApiClient http;

  public CacheFlush(DnsCache cache) {
    this(cache, java.util.Optional.empty());
  }

  /** A flush of the recursor on {@code server} when given. */
  public CacheFlush(DnsCache cache, java.util.Optional<kr.codeb.fleet.ServerLink> server) {
    this.cache = cache;
    this.http = ApiClient.open(ApiSettings.of("powerdns-recursor", "DNS cache", cache.api(),
            cache.timeout())
        .withConnectTimeout(cache.timeout())
        .withCredential("X-API-Key", "", cache.apiKey())
        .withRetries(1, Duration.ofMillis(1), Duration.ofMillis(1), cache.timeout()),
        kr.codeb.http.FailureMapping.STANDARD, server);
  }

  /** Flushes each name; true when the recursor confirmed every one. */
  public boolean flush(DnsName... names) {
    boolean all = true;
    for (DnsName name : names) {
      all &= flushOne(name);
    }
    return all;
  }

  private boolean flushOne(DnsName name) {
    try {
      http.send(ApiCall.send("PUT", "/api/v1/servers/localhost/cache/flush", null, true)
          .withQuery(Map.of("domain", name.value())));
      return true;
    } catch (CodeBException e) {
      LOG.warn("switch=srv: could not flush {} from the DNS cache at {} ({}{}); the switch"
          + " completes once its copy expires (1 s)", name.value(), cache.api(), e.getMessage(),
          e instanceof AuthException ? "; wrong CODEB_POWERDNS_RECURSOR_API_KEY?" : "");
      return false;
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
