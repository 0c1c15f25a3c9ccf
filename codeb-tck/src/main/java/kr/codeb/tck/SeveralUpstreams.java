package kr.codeb.tck;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Counts which upstream answered a series of requests through the proxy. */
final class SeveralUpstreams {
  private SeveralUpstreams() {}

  /** {@code n} GETs for {@code host}; every one must be a 200; answers by body. */
  static Map<String, Integer> count(Function<String, ProxyContractFixtures.Reply> get,
      String host, int n) {
    Map<String, Integer> seen = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      ProxyContractFixtures.Reply reply = get.apply(host);
      if (reply.status() != 200) {
        throw new AssertionError("request " + i + " for " + host + " got " + reply);
      }
      seen.merge(reply.body(), 1, Integer::sum);
    }
    return seen;
  }

  /**
   * The route as read back is {@code expected}, its upstreams in any order (a proxy that keeps
   * them in DNS lists them as the DNS server does).
   */
  static void assertSame(kr.codeb.proxy.Route expected,
      java.util.Optional<kr.codeb.proxy.Route> actual) {
    if (actual.isEmpty() || !actual.get().id().equals(expected.id())
        || !actual.get().hosts().equals(expected.hosts())
        || !java.util.Set.copyOf(actual.get().upstreams())
            .equals(java.util.Set.copyOf(expected.upstreams()))
        || actual.get().upstreams().size() != expected.upstreams().size()) {
      throw new AssertionError("expected " + expected + " (upstreams in any order), read back "
          + actual);
    }
  }
}
