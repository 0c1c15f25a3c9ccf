package kr.codeb.caddy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import kr.codeb.NotFoundException;
import kr.codeb.proxy.Maintenance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A route's maintenance mode in Caddy: a {@code subroute} handler placed first in the route's
 * handlers, whose one route answers with a {@code static_response} (503, the page,
 * {@code Retry-After}) and so never passes the request on to the route's {@code reverse_proxy}.
 *
 * <pre>{@code
 * {"@id":"codeb-maintenance-<id>","handler":"subroute",
 *  "routes":[{"match":[{"header":{"X-CodeB-Probe":null}}],
 *             "handle":[{"handler":"static_response","status_code":503,
 *                        "headers":{"Content-Type":[..],"Retry-After":["60"]},"body":".."}]}]}
 * }</pre>
 *
 * Only requests without CodeB's probe header match (a {@code null} header list matches when the
 * header is absent), so the probes that confirm a DNS-driven switch still reach the upstream
 * during maintenance. Turning it on or off is one change of Caddy's config, which Caddy applies
 * gracefully: requests in flight finish on the config they started with.
 */
public final class CaddyMaintenance {
  public static final String PREFIX = "codeb-maintenance-";
  private static final Logger LOG = LoggerFactory.getLogger(CaddyMaintenance.class);
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final AdminClient admin;

  public CaddyMaintenance(AdminClient admin) {
    this.admin = admin;
  }

  public static String id(String routeId) {
    return PREFIX + routeId;
  }

  /** The handler that puts route {@code routeId} in maintenance {@code mode}. */
  public static ObjectNode handler(String routeId, Maintenance mode) {
    ObjectNode handler = F.objectNode();
    handler.put("@id", id(routeId));
    handler.put("handler", "subroute");
    ObjectNode route = handler.putArray("routes").addObject();
    route.putArray("match").addObject().putObject("header").putNull(CaddyJson.PROBE_HEADER);
    ObjectNode answer = route.putArray("handle").addObject();
    answer.put("handler", "static_response");
    answer.put("status_code", 503);
    ObjectNode headers = answer.putObject("headers");
    headers.putArray("Content-Type").add("text/html; charset=utf-8");
    headers.putArray("Retry-After").add(String.valueOf(mode.retryAfter().toSeconds()));
    headers.putArray("Cache-Control").add("no-store");
    answer.put("body", mode.page());
    return handler;
  }

  /** The maintenance handler among a route's handlers, if any. */
  public static Optional<JsonNode> find(JsonNode route) {
    for (JsonNode h : route.path("handle")) {
      if (h.path("@id").asText().startsWith(PREFIX)) {
        return Optional.of(h);
      }
    }
    return Optional.empty();
  }

  /** {@code desired} with {@code existing}'s maintenance handler first, if it had one. */
  public static ObjectNode keep(JsonNode existing, ObjectNode desired) {
    if (existing == null) {
      return desired;
    }
    Optional<JsonNode> handler = find(existing);
    if (handler.isPresent() && find(desired).isEmpty()) {
      ((ArrayNode) desired.path("handle")).insert(0, handler.get().deepCopy());
    }
    return desired;
  }

  /** The mode a maintenance handler stands for. */
  static Maintenance parse(JsonNode handler) {
    JsonNode answer = handler.path("routes").path(0).path("handle").path(0);
    long retry = Long.parseLong(answer.path("headers").path("Retry-After").path(0).asText("0"));
    return Maintenance.fromPage(answer.path("body").asText(), retry);
  }

  private JsonNode route(String routeId) {
    AdminClient.Snapshot route = admin.get("/id/" + CaddyJson.routeId(routeId));
    if (route.missing()) {
      throw new NotFoundException("no Caddy route " + routeId + " managed by CodeB at "
          + admin.admin(), "caddy", 404, null);
    }
    return route.body();
  }

  public void on(String routeId, Maintenance mode) {
    ObjectNode desired = handler(routeId, mode);
    Optional<JsonNode> now = find(route(routeId));
    if (now.isPresent() && now.get().equals(desired)) {
      return;
    }
    if (now.isPresent()) {
      admin.change("PATCH", "/id/" + id(routeId), desired, null);
    } else {
      admin.change("PUT", "/id/" + CaddyJson.routeId(routeId) + "/handle/0", desired, null);
    }
    LOG.info("Caddy route {}: maintenance on (Retry-After {} s)", routeId,
        mode.retryAfter().toSeconds());
  }

  public boolean off(String routeId) {
    if (find(route(routeId)).isEmpty()) {
      return false;
    }
    try {
      admin.change("DELETE", "/id/" + id(routeId), null, null);
    } catch (NotFoundException e) {
      return false; // ended by someone else meanwhile
    }
    LOG.info("Caddy route {}: maintenance off", routeId);
    return true;
  }

  public Optional<Maintenance> get(String routeId) {
    return find(route(routeId)).map(CaddyMaintenance::parse);
  }
}
