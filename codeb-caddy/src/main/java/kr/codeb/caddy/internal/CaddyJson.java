package kr.codeb.caddy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kr.codeb.CodeBException;
import kr.codeb.model.IpAddress;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;

/**
 * How CodeB's routes look in Caddy's JSON config, both ways.
 *
 * <pre>{@code
 * {"@id":"codeb-route-<id>",
 *  "match":[{"host":["app.example"]}],
 *  "handle":[{"@id":"codeb-upstream-<id>","handler":"reverse_proxy",
 *             "upstreams":[{"dial":"127.0.0.1:4101"}]}],
 *  "terminal":true}
 * }</pre>
 *
 * A route with no hosts gets the host matcher {@value #NO_HOST}: {@code .invalid} is reserved
 * (RFC 2606) and never resolves, so no real client sends it, and a host matcher keeps the
 * route's shape the same as every other. Reading a route back drops that name again. The
 * catch-all ({@value #CATCH_ALL_ID}) answers 404 for any host no earlier route matched; without
 * it Caddy answers an empty 200.
 */
public final class CaddyJson {
  public static final String ROUTE_PREFIX = "codeb-route-";
  public static final String UPSTREAM_PREFIX = "codeb-upstream-";
  public static final String CATCH_ALL_ID = "codeb-catch-all";
  public static final String NO_HOST = "codeb-no-host.invalid";
  static final String CATCH_ALL_BODY = "404 no route for this host\n";

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private CaddyJson() {}

  public static String routeId(String id) {
    return ROUTE_PREFIX + id;
  }

  public static String upstreamId(String id) {
    return UPSTREAM_PREFIX + id;
  }

  /**
   * The response header through which {@code switch=srv} sees which upstream port answered; only
   * a request carrying the route's probe token in {@value #PROBE_HEADER} gets it.
   */
  public static final String UPSTREAM_PORT_HEADER = "X-CodeB-Upstream-Port";
  /** The request header CodeB's switch probes send the route's token in. */
  public static final String PROBE_HEADER = "X-CodeB-Probe";
  /** The map handler's output: the response header to delete (the port header unless probed). */
  private static final String DROP = "{codeb_port_header_drop}";
  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

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
    ObjectNode node = route(route);
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

  /** The route's {@code reverse_proxy} handler (missing node if it has none). */
  public static JsonNode proxyHandler(JsonNode route) {
    for (JsonNode handler : route.path("handle")) {
      if ("reverse_proxy".equals(handler.path("handler").asText())) {
        return handler;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  /** How many times Caddy re-picks an upstream after a failed dial (see {@link #route(Route, String, String, String, long)}). */
  static final int DIAL_RETRIES = 10;

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
    ObjectNode handler = (ObjectNode) proxyHandler(node);
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

  /**
   * A route without what follows the static upstream (its handler's {@code upstreams} and the
   * {@code a} source of the cached form), to see whether a route has the SRV form CodeB would
   * write now regardless of which slot its last config write named.
   */
  public static JsonNode srvShape(JsonNode route) {
    ObjectNode whole = route.deepCopy();
    JsonNode found = proxyHandler(whole);
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
    return proxyHandler(route).has("dynamic_upstreams");
  }

  public static ObjectNode route(Route route) {
    ObjectNode node = F.objectNode();
    node.put("@id", routeId(route.id()));
    ArrayNode hosts = F.arrayNode();
    if (route.hosts().isEmpty()) {
      hosts.add(NO_HOST);
    } else {
      route.hosts().forEach(hosts::add);
    }
    node.putArray("match").addObject().set("host", hosts);
    ObjectNode handler = node.putArray("handle").addObject();
    handler.put("@id", upstreamId(route.id()));
    handler.put("handler", "reverse_proxy");
    handler.set("upstreams", upstreams(route.upstreams()));
    if (route.upstreams().size() > 1) {
      handler.set("load_balancing", roundRobin(route.upstreams().size()));
    }
    node.put("terminal", true);
    return node;
  }

  public static ArrayNode upstreams(Upstream to) {
    return upstreams(List.of(to));
  }

  public static ArrayNode upstreams(List<Upstream> to) {
    ArrayNode list = F.arrayNode();
    to.forEach(u -> list.addObject().put("dial", u.dial()));
    return list;
  }

  /**
   * The balancing of a route with several upstreams (one project on several app servers):
   * {@code round_robin}, and a failed dial (never sent to the upstream, so safe for any method)
   * tried again on the next upstream, up to {@code n} times 5 ms apart, so a server lost
   * after the switch costs connections, not requests, while another one answers.
   */
  static ObjectNode roundRobin(int n) {
    ObjectNode lb = F.objectNode();
    lb.putObject("selection_policy").put("policy", "round_robin");
    lb.put("retries", n);
    lb.put("try_interval", "5ms");
    return lb;
  }

  public static ObjectNode catchAll() {
    ObjectNode node = F.objectNode();
    node.put("@id", CATCH_ALL_ID);
    ObjectNode handler = node.putArray("handle").addObject();
    handler.put("handler", "static_response");
    handler.put("status_code", 404);
    handler.putObject("headers").putArray("Content-Type").add("text/plain; charset=utf-8");
    handler.put("body", CATCH_ALL_BODY);
    node.put("terminal", true);
    return node;
  }

  /**
   * The server CodeB creates. With automatic HTTPS on, the no-host name is skipped so that Caddy
   * does not try to get a certificate for it.
   * Certificates for the routes' hosts: see {@code CaddyProxy} (tls=auto or internal).
   */
  public static ObjectNode server(List<String> listen, boolean automaticHttps) {
    ObjectNode server = F.objectNode();
    ArrayNode addresses = server.putArray("listen");
    listen.forEach(addresses::add);
    server.putArray("routes").add(catchAll());
    server.set("automatic_https", automaticHttps(automaticHttps));
    return server;
  }

  /**
   * The server's {@code automatic_https}: {@code {"skip":["codeb-no-host.invalid"]}} when on (no
   * certificate for the no-host name), {@code {"disable":true}} when off.
   */
  public static ObjectNode automaticHttps(boolean on) {
    ObjectNode auto = F.objectNode();
    if (on) {
      auto.putArray("skip").add(NO_HOST);
    } else {
      auto.put("disable", true);
    }
    return auto;
  }

  public static String tlsPolicyId(String server) {
    return "codeb-tls-" + server;
  }

  /**
   * {@code {"@id":"codeb-tls-<server>","subjects":[...],"issuers":[{"module":"internal"}]}};
   * with no hosts the subject is {@link #noHostSubject}, since a policy without subjects would
   * apply to every name in Caddy.
   */
  public static ObjectNode internalTlsPolicy(String server, java.util.Collection<String> hosts) {
    ObjectNode policy = F.objectNode();
    policy.put("@id", tlsPolicyId(server));
    ArrayNode subjects = policy.putArray("subjects");
    if (hosts.isEmpty()) {
      subjects.add(noHostSubject(server));
    } else {
      hosts.forEach(subjects::add);
    }
    policy.putArray("issuers").addObject().put("module", "internal");
    return policy;
  }

  /**
   * The subject of an empty TLS policy of {@code server}: a reserved {@code .invalid} name no
   * client sends, one per server, because Caddy refuses two policies naming the same subject
   * (two CodeB servers with no routes on one Caddy would otherwise block every later change).
   */
  public static String noHostSubject(String server) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(server.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "codeb-no-host-" + java.util.HexFormat.of().formatHex(digest, 0, 6) + ".invalid";
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  public static String idOf(JsonNode route) {
    JsonNode id = route.get("@id");
    return id != null && id.isTextual() ? id.asText() : "";
  }

  /** Whether a route in Caddy's config is one of CodeB's routes (not the catch-all). */
  public static boolean isCodeBRoute(JsonNode route) {
    return idOf(route).startsWith(ROUTE_PREFIX);
  }

  /** The hosts a route's matchers name (all matcher sets), without the no-host name. */
  public static List<String> hosts(JsonNode route) {
    List<String> hosts = new ArrayList<>();
    for (JsonNode set : route.path("match")) {
      for (JsonNode host : set.path("host")) {
        String name = host.asText().toLowerCase(java.util.Locale.ROOT);
        if (!name.equals(NO_HOST)) {
          hosts.add(name);
        }
      }
    }
    return hosts;
  }

  /** CodeB's route back from Caddy's JSON; empty if someone changed it beyond recognition. */
  public static Optional<Route> toRoute(JsonNode node) {
    if (!isCodeBRoute(node)) {
      return Optional.empty();
    }
    String id = idOf(node).substring(ROUTE_PREFIX.length());
    JsonNode handler = proxyHandler(node);
    JsonNode dial = handler.path("upstreams").path(0).path("dial");
    if (!"reverse_proxy".equals(handler.path("handler").asText()) || !dial.isTextual()) {
      return Optional.empty();
    }
    try {
      List<Upstream> upstreams = new ArrayList<>();
      for (JsonNode u : handler.path("upstreams")) {
        if (!u.path("dial").isTextual()) {
          return Optional.empty();
        }
        upstreams.add(parseDial(u.path("dial").asText()));
      }
      return Optional.of(new Route(id, hosts(node), upstreams));
    } catch (CodeBException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** {@code 127.0.0.1:4101} or {@code [fd00::1]:4101} as an {@link Upstream}. */
  public static Upstream parseDial(String dial) {
    int colon = dial.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("no port in dial address " + dial);
    }
    String host = dial.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new Upstream(IpAddress.of(host), Integer.parseInt(dial.substring(colon + 1)));
  }

  /** The index of the element whose {@code @id} is {@code id}, or -1. */
  public static int indexOf(JsonNode array, String id) {
    for (int i = 0; i < array.size(); i++) {
      if (id.equals(idOf(array.get(i)))) {
        return i;
      }
    }
    return -1;
  }
}
