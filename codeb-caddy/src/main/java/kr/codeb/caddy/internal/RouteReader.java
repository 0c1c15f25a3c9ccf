package kr.codeb.caddy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kr.codeb.caddy.internal.AdminClient.Snapshot;
import kr.codeb.proxy.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads CodeB's routes back from its server in Caddy. A route in the SRV form reports the
 * upstream its SRV record names now (the live one), not the static fallback in the config; a
 * route someone changed beyond recognition is skipped with a warning.
 */
public final class RouteReader {
  private static final Logger LOG = LoggerFactory.getLogger(RouteReader.class);

  private final AdminClient admin;
  private final String serverPath;
  private final SrvSwitching srv;

  /** Reads the routes at {@code serverPath}{@code /routes}. */
  public RouteReader(AdminClient admin, String serverPath, SrvSwitching srv) {
    this.admin = admin;
    this.serverPath = serverPath;
    this.srv = srv;
  }

  /** CodeB's routes in the order Caddy tries them. */
  public List<Route> routes() {
    Snapshot routes = admin.get(serverPath + "/routes");
    List<Route> result = new ArrayList<>();
    for (JsonNode node : routes.body()) {
      if (CaddyJson.isCodeBRoute(node)) {
        Optional<Route> route = CaddyJson.toRoute(node);
        if (route.isPresent()) {
          result.add(SrvRouteJson.isSrv(node) ? srv.withSrvUpstream(route.get()) : route.get());
        } else {
          LOG.warn("Caddy route {} no longer has the shape CodeB gave it; skipped: {}",
              CaddyJson.idOf(node), node);
        }
      }
    }
    return List.copyOf(result);
  }

  /**
   * The one route, read from the server's routes like {@link #routes()}, but resolving only its
   * own SRV record: with {@code switch=srv} every route's live upstream is a DNS read, and a
   * deploy reads its route several times, so reading all of them made each deploy's time grow
   * with the number of projects on the edge (docs/benchmarks.md, "Capacity").
   */
  public Optional<Route> route(String id) {
    Snapshot routes = admin.get(serverPath + "/routes");
    for (JsonNode node : routes.body()) {
      if (CaddyJson.idOf(node).equals(CaddyJson.ROUTE_PREFIX + id)) {
        Optional<Route> route = CaddyJson.toRoute(node);
        if (route.isEmpty()) {
          LOG.warn("Caddy route {} no longer has the shape CodeB gave it; skipped: {}", id, node);
          return Optional.empty();
        }
        return Optional.of(SrvRouteJson.isSrv(node) ? srv.withSrvUpstream(route.get()) : route.get());
      }
    }
    return Optional.empty();
  }
}
