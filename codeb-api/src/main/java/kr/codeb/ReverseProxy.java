package kr.codeb;

import java.util.List;
import java.util.Optional;

/**
 * The edge's reverse proxy (Caddy). Only routes CodeB created are visible and changed; routes
 * made by anyone else are left alone. Refined, with its contract suite, by the deploy issue.
 */
public interface ReverseProxy extends AutoCloseable {
  ProviderInfo info();

  /** The routes CodeB manages. */
  List<Route> routes();

  Optional<Route> route(String id);

  /** Creates or replaces the route with this id (hosts, upstream). Idempotent. */
  void upsert(Route route);

  /**
   * The blue-green switch: points the route at {@code to} in one atomic change; requests
   * already in flight finish on the old upstream.
   *
   * @throws NotFoundException if there is no such route
   */
  void switchUpstream(String routeId, Upstream to);

  /** Removes the route; {@code false} if there was none. */
  boolean remove(String routeId);

  @Override
  void close();
}
