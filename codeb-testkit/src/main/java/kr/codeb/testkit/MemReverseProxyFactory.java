package kr.codeb.testkit;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderConfig;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.proxy.ReverseProxyFactory;

/**
 * {@code mem:} opens a new, empty in-memory proxy; {@code mem:NAME} opens the proxy of that
 * name, whose routes are shared by everyone in this JVM who opens the same name. Add
 * {@code ?listen=PORT} (or {@code ?listen=127.0.0.1:PORT}; {@code 0} picks a free port) to also
 * forward real traffic from that loopback port (see {@link MemReverseProxy}). No I/O happens
 * here except starting that listener when asked to.
 */
public final class MemReverseProxyFactory implements ReverseProxyFactory {
  private static final Map<String, MemReverseProxy.Table> NAMED = new ConcurrentHashMap<>();

  @Override
  public Set<String> schemes() {
    return Set.of("mem");
  }

  @Override
  public ReverseProxy create(ProviderConfig config) {
    // mem: URIs are opaque, so URI.getQuery() (and ProviderConfig.query) see nothing.
    String part = config.uri().getSchemeSpecificPart();
    part = part == null ? "" : part;
    int q = part.indexOf('?');
    // "mem:" may arrive as "mem:///" (ProviderRegistry adds the slashes java.net.URI needs).
    String name = (q < 0 ? part : part.substring(0, q)).replaceFirst("^/+", "");
    String query = q < 0 ? "" : part.substring(q + 1);
    Integer port = null;
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      if (!pair.startsWith("listen=")) {
        throw new InvalidRequestException("unknown mem: proxy option '" + pair
            + "': only listen=PORT or listen=127.0.0.1:PORT is allowed");
      }
      port = port(pair.substring("listen=".length()));
    }
    if (name.isEmpty()) {
      return MemReverseProxy.open(new MemReverseProxy.Table(), "anonymous", port);
    }
    if (!name.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
      throw new InvalidRequestException("invalid mem: proxy name '" + name
          + "': use lowercase letters, digits, '.', '_', '-' (e.g. mem:demo)");
    }
    return MemReverseProxy.open(NAMED.computeIfAbsent(name, n -> new MemReverseProxy.Table()),
        name, port);
  }

  private static int port(String value) {
    String digits = value.startsWith("127.0.0.1:") ? value.substring("127.0.0.1:".length()) : value;
    try {
      int port = Integer.parseInt(digits);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new InvalidRequestException("invalid mem: proxy listen '" + value
        + "': use a port 0-65535, optionally as 127.0.0.1:PORT (0 picks a free port)");
  }
}
