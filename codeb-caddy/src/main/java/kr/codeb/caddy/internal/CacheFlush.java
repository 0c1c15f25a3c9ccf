package kr.codeb.caddy.internal;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kr.codeb.caddy.DnsCache;
import kr.codeb.model.DnsName;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes names from a PowerDNS Recursor's caches right after CodeB changed them in PowerDNS:
 * {@code PUT /api/v1/servers/localhost/cache/flush?domain=<name>} with {@code X-API-Key}
 * (checked on 4.8.8: it clears the record cache and the packet cache for that name, the next
 * query for it goes to PowerDNS). Without it the recursor would keep answering the previous SRV
 * record for up to its TTL (1 s). A failed flush only delays the switch by that TTL, so it is
 * logged, never thrown. The key is sent only in the header; it never appears in a log line.
 */
public final class CacheFlush implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CacheFlush.class);

  private final DnsCache cache;
  private final OkHttpClient http;

  public CacheFlush(DnsCache cache) {
    this.cache = cache;
    this.http = new OkHttpClient.Builder()
        .connectTimeout(cache.timeout())
        .callTimeout(cache.timeout())
        .readTimeout(cache.timeout())
        .connectionPool(new ConnectionPool(1, 30, TimeUnit.SECONDS))
        // Plain http (a loopback admin API): no TLS connection spec, so building the client
        // does not load the JDK's TLS stack and trust store (~60 ms of a cold start).
        .connectionSpecs("http".equalsIgnoreCase(cache.api().getScheme())
            ? List.of(ConnectionSpec.CLEARTEXT)
            : List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT))
        .build();
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
    HttpUrl url = HttpUrl.get(cache.api().toString()).newBuilder()
        .addPathSegments("api/v1/servers/localhost/cache/flush")
        .addQueryParameter("domain", name.value())
        .build();
    Request request = new Request.Builder().url(url).put(RequestBody.create(new byte[0]))
        .header("X-API-Key", cache.apiKey().reveal())
        .header("Accept", "application/json").build();
    try (Response response = http.newCall(request).execute()) {
      if (response.isSuccessful()) {
        return true;
      }
      LOG.warn("switch=srv: the DNS cache at {} answered {} to flushing {}{}; the switch completes"
          + " once its copy expires (1 s)", cache.api(), response.code(), name.value(),
          response.code() == 401 ? " (wrong CODEB_POWERDNS_RECURSOR_API_KEY?)" : "");
    } catch (IOException e) {
      LOG.warn("switch=srv: could not flush {} from the DNS cache at {} ({}); the switch completes"
          + " once its copy expires (1 s)", name.value(), cache.api(), e.toString());
    }
    return false;
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
