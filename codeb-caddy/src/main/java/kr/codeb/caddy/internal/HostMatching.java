package kr.codeb.caddy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.proxy.HostConflict;
import kr.codeb.proxy.HostPattern;

/**
 * Which routes of Caddy's HTTP servers match which hosts, CodeB's and everyone else's: for the
 * check a deploy makes before it starts anything, and for the switch confirmation, which
 * proves that the first route matching each host (Caddy tries them in order) is the project's.
 */
public final class HostMatching {
  private HostMatching() {}

  /** The hosts of {@code hosts} that a route other than {@code routeId}, in any server, matches. */
  public static List<HostConflict> conflicts(AdminClient admin, String routeId,
      List<String> hosts) {
    List<HostConflict> found = new ArrayList<>();
    JsonNode servers = admin.get("/config/apps/http/servers").body();
    for (Iterator<Map.Entry<String, JsonNode>> it = servers.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> server = it.next();
      found.addAll(conflicts(server.getValue().path("routes"), server.getKey(), routeId, hosts));
    }
    return found;
  }

  /** The same within one server's route list, as already read. */
  public static List<HostConflict> conflicts(JsonNode routes, String server, String routeId,
      List<String> hosts) {
    List<HostConflict> found = new ArrayList<>();
    for (int i = 0; i < routes.size(); i++) {
      JsonNode route = routes.get(i);
      String id = CaddyJson.idOf(route);
      if (id.equals(CaddyJson.routeId(routeId)) || id.equals(CaddyJson.CATCH_ALL_ID)) {
        continue;
      }
      for (String pattern : CaddyJson.hosts(route)) {
        for (String host : hosts) {
          if (HostPattern.overlap(host, pattern)) {
            found.add(new HostConflict(host, pattern, holder(route, i, server)));
          }
        }
      }
    }
    return found;
  }

  /**
   * Why requests for {@code host} in {@code server} would not reach the route {@code routeId}:
   * the first route that matches it is another one (or none). Empty when it is the route.
   */
  public static Optional<String> notReaching(JsonNode serverRoutes, String server,
      String routeId, String host) {
    for (int i = 0; i < serverRoutes.size(); i++) {
      JsonNode route = serverRoutes.get(i);
      if (!matches(route, host)) {
        continue;
      }
      if (CaddyJson.idOf(route).equals(CaddyJson.routeId(routeId))) {
        return Optional.empty();
      }
      return Optional.of("requests for " + host + " are taken by "
          + holder(route, i, server) + ", which Caddy tries first");
    }
    return Optional.of("no route of server " + server + " matches " + host);
  }

  /** Whether a route's matchers let a request for {@code host} through (host-wise). */
  private static boolean matches(JsonNode route, String host) {
    JsonNode sets = route.path("match");
    if (!sets.isArray() || sets.isEmpty()) {
      return true;
    }
    for (JsonNode set : sets) {
      JsonNode patterns = set.path("host");
      if (!patterns.isArray()) {
        return true; // a matcher set without a host matcher takes any host
      }
      for (JsonNode pattern : patterns) {
        if (HostPattern.matches(pattern.asText(), host)) {
          return true;
        }
      }
    }
    return false;
  }

  private static String holder(JsonNode route, int index, String server) {
    String id = CaddyJson.idOf(route);
    return id.startsWith(CaddyJson.ROUTE_PREFIX)
        ? "route " + id.substring(CaddyJson.ROUTE_PREFIX.length())
        : id.equals(CaddyJson.CATCH_ALL_ID) ? "CodeB's catch-all (404) route"
        : "a route CodeB does not manage (#" + index + " in server " + server + ")";
  }
}
