package kr.codeb;

import java.util.List;
import java.util.Optional;

/**
 * The edge's reverse proxy (Caddy). Tested by {@code ReverseProxyContract} against the real
 * engine. Only routes CodeB created are listed or changed; routes made by anyone else are left
 * alone. A request for a host no route matches gets a 404, never an empty 200.
 * Implementations are safe for concurrent use; concurrent editors of the same proxy are
 * guarded (a lost race is retried, never silently overwritten).
 */
public interface ReverseProxy extends AutoCloseable {
  ProviderInfo info();

  /** The routes CodeB manages, in the order the proxy tries them. */
  List<Route> routes();

  /** The route with this id, if CodeB manages one. */
  Optional<Route> route(String id);

  /**
   * Creates the route, or replaces the one with the same id (hosts and upstream). Idempotent:
   * upserting an equal route changes nothing.
   *
   * @throws ConflictException if another route already serves one of the hosts
   */
  void upsert(Route route);

  /**
   * The blue-green switch: points the route at {@code to} in one atomic change, leaving its
   * hosts alone. Requests already in flight finish on the old upstream.
   *
   * @throws NotFoundException if there is no such route
   */
  void switchUpstream(String routeId, Upstream to);

  /** Removes the route. Idempotent: {@code false} if there was none. */
  boolean remove(String routeId);

  @Override
  void close();
}
