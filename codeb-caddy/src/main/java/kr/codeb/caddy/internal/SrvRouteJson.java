package kr.codeb.caddy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import kr.codeb.proxy.Route;

/**
 * The {@code switch=srv} form of a CodeB route in Caddy's JSON config, both ways: the plain
 * route of {@link CaddyJson#route(Route)} whose {@code reverse_proxy} handler takes its upstreams
 * from an SRV record, and the probe token and port header through which CodeB sees when new
 * requests reach the new slot.
 */
public final class SrvRouteJson {
  /**
   * The response header through which {@code switch=srv} sees which upstream port answered; only
   * a request carrying the route's probe token in {@value #PROBE_HEADER} gets it.
   */
  public static final String UPSTREAM_PORT_HEADER = "X-CodeB-Upstream-Port";
  /** The request header CodeB's switch probes send the route's token in. */
  public static final String PROBE_HEADER = "X-CodeB-Probe";
  /** How many times Caddy re-picks an upstream after a failed dial (see the cached form). */
  static final int DIAL_RETRIES = 10;
  /** The map handler's output: the response header to delete (the port header unless probed). */
  private static final String DROP = "{codeb_port_header_drop}";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private SrvRouteJson() {}

  /** A new probe token: 128 random bits, hex. */
  public static String newProbeToken() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    StringBuilder hex = new StringBuilder();
    for (byte b : bytes) {
      hex.append(String.format("%02x", b));
    }
    return hex.toString();
  }

  /**
   * The SRV form of a route: the {@code reverse_proxy} handler takes {@code dynamic_upstreams}
   * from {@code srvName} resolved at {@code resolver} every {@code refreshMs}, keeps the route's
   * upstream as the static fallback Caddy uses when the lookup fails, and reports the answering
   * upstream's port in {@value #UPSTREAM_PORT_HEADER} (so CodeB can see when new requests reach
   * the new slot) — but only to requests whose {@value #PROBE_HEADER} equals {@code token}: a
   * {@code map} handler before it (checked on Caddy 2.6.2) names the header to delete from the
   * response, the port header itself unless the token matched, so no ordinary client learns
   * the slot's host port. The probe header is not forwarded to the upstream.
   */
  public static ObjectNode route(Route route, String srvName, String resolver, long refreshMs,
      String token) {
    ObjectNode node = CaddyJson.route(route);
    ArrayNode handle = (ArrayNode) node.path("handle");
    ObjectNode handler = (ObjectNode) handle.get(0);
    handler.set("dynamic_upstreams", srvSource(srvName, resolver, refreshMs));
    handler.set("transport", transport(List.of(resolver)));
    ObjectNode headers = handler.putObject("headers");
    headers.putObject("request").putArray("delete").add(PROBE_HEADER);
    ObjectNode response = headers.putObject("response");
    response.putObject("set").putArray(UPSTREAM_PORT_HEADER).add("{http.reverse_proxy.upstream.port}");
    response.putArray("delete").add(DROP);
    ObjectNode map = F.objectNode();
    map.put("handler", "map");
    map.put("source", "{http.request.header." + PROBE_HEADER + "}");
    map.putArray("destinations").add(DROP);
    ObjectNode mapping = map.putArray("mappings").addObject();
    mapping.put("input", token);
    mapping.putArray("outputs").add(PROBE_HEADER + "-Accepted");
    map.putArray("defaults").add(UPSTREAM_PORT_HEADER);
    handle.insert(0, map);
    return node;
  }

  /**
   * The SRV form with a serve-stale cache (checked on Caddy 2.6.2): a {@code multi} source that
   * asks, in order, the SRV record at {@code cache}, the same record at {@code resolver}, and
   * an {@code a} source whose name is the static upstream's IP literal (Go answers a literal
   * without any DNS, so it never fails), with the {@code first} selection policy. A source that
   * fails is skipped, so the first answer that exists wins: the cache's, PowerDNS's when the
   * cache is down, the static upstream only when both are down. (A resolver list of both
   * addresses would not do: Caddy picks one of them at random per query, and Go tries twice, so
   * with either down about a quarter of the lookups failed and went to the static upstream.)
   * The SRV target is dialed through both servers the same random way; a failed lookup is a
   * dial error, which Caddy retries {@value #DIAL_RETRIES} times 5 ms apart (never sent to the
   * upstream, so safe for any method): with one server down a request then fails only when all
   * 11 picks hit it, (1/4)^11.
   */
  public static ObjectNode route(Route route, String srvName, String cache, String resolver,
      long refreshMs, String token) {
    ObjectNode node = route(route, srvName, resolver, refreshMs, token);
    ObjectNode handler = (ObjectNode) CaddyJson.proxyHandler(node);
    ObjectNode multi = F.objectNode();
    multi.put("source", "multi");
    ArrayNode sources = multi.putArray("sources");
    sources.add(srvSource(srvName, cache, refreshMs));
    sources.add(srvSource(srvName, resolver, refreshMs));
    ObjectNode literal = sources.addObject();
    literal.put("source", "a");
    literal.put("name", route.upstream().address().value());
    literal.put("port", String.valueOf(route.upstream().port()));
    literal.put("refresh", "1h");
    handler.set("dynamic_upstreams", multi);
    handler.set("transport", transport(List.of(cache, resolver)));
    ObjectNode lb = handler.putObject("load_balancing");
    lb.putObject("selection_policy").put("policy", "first");
    lb.put("retries", DIAL_RETRIES);
    lb.put("try_interval", "5ms");
    return node;
  }

  /** The probe token of a route in Caddy's config, if it has the SRV form with one. */
  public static Optional<String> probeToken(JsonNode route) {
    for (JsonNode handler : route.path("handle")) {
      if ("map".equals(handler.path("handler").asText())) {
        JsonNode input = handler.path("mappings").path(0).path("input");
        if (input.isTextual() && !input.asText().isEmpty()) {
          return Optional.of(input.asText());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * A route without what follows the static upstream (its handler's {@code upstreams} and the
   * {@code a} source of the cached form), to see whether a route has the SRV form CodeB would
   * write now regardless of which slot its last config write named.
   */
  public static JsonNode srvShape(JsonNode route) {
    ObjectNode whole = route.deepCopy();
    JsonNode found = CaddyJson.proxyHandler(whole);
    if (!(found instanceof ObjectNode)) {
      return whole;
    }
    ObjectNode copy = (ObjectNode) found;
    copy.remove("upstreams");
    JsonNode sources = copy.path("dynamic_upstreams").path("sources");
    if (sources.isArray() && sources.size() > 0
        && "a".equals(sources.get(sources.size() - 1).path("source").asText())) {
      ((ArrayNode) sources).remove(sources.size() - 1);
    }
    return whole;
  }

  /** Whether a route's handler takes its upstream from DNS ({@code switch=srv}). */
  public static boolean isSrv(JsonNode route) {
    return CaddyJson.proxyHandler(route).has("dynamic_upstreams");
  }

  private static ObjectNode srvSource(String srvName, String resolver, long refreshMs) {
    ObjectNode dynamic = F.objectNode();
    dynamic.put("source", "srv");
    dynamic.put("name", srvName);
    dynamic.put("refresh", refreshMs + "ms");
    dynamic.putObject("resolver").putArray("addresses").add(resolver);
    return dynamic;
  }

  private static ObjectNode transport(List<String> resolvers) {
    ObjectNode transport = F.objectNode();
    transport.put("protocol", "http");
    ArrayNode addresses = transport.putObject("resolver").putArray("addresses");
    resolvers.forEach(addresses::add);
    return transport;
  }
}
