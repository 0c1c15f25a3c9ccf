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
 *
 * <p>The {@code switch=srv} form of a route is {@link SrvRouteJson}'s, the TLS policy
 * {@link TlsPolicyJson}'s.
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

  /** The route's {@code reverse_proxy} handler (missing node if it has none). */
  public static JsonNode proxyHandler(JsonNode route) {
    for (JsonNode handler : route.path("handle")) {
      if ("reverse_proxy".equals(handler.path("handler").asText())) {
        return handler;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  /** The plain form of a route (a fixed upstream list); see {@link SrvRouteJson} for the SRV form. */
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
