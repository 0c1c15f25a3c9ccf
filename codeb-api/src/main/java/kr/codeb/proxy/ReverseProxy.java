package kr.codeb.proxy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import kr.codeb.ConflictException;
import kr.codeb.NotFoundException;
import kr.codeb.UnsupportedFeatureException;
import kr.codeb.ProviderInfo;
import kr.codeb.UnavailableException;

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

  /**
   * The blue-green switch of a route served by several app servers: points the route at all of
   * {@code to} in one atomic change (requests balanced round robin over them), leaving its hosts
   * alone. Either every upstream of {@code to} takes new requests after it returns, or (when
   * it throws) the route is unchanged. Requests already in flight finish on the old upstreams.
   * The default takes one upstream ({@link #switchUpstream}) and refuses several, so a proxy
   * that cannot balance never silently drops all but one server; the proxies that can
   * (Caddy, {@code mem:}) override it and also accept {@link #upsert} of such a route.
   *
   * @throws kr.codeb.InvalidRequestException if {@code to} is empty or lists an upstream twice
   * @throws UnsupportedFeatureException if {@code to} has several upstreams and this proxy
   *     cannot balance over them (nothing changed)
   * @throws NotFoundException if there is no such route
   */
  default void switchUpstreams(String routeId, List<Upstream> to) {
    java.util.Objects.requireNonNull(routeId, "routeId");
    List<Upstream> checked = Route.requireUpstreams(routeId, to);
    if (checked.size() > 1) {
      throw new UnsupportedFeatureException(info().id() + " cannot balance a route over "
          + checked.size() + " upstreams; use a proxy that can (caddy) or one app server");
    }
    switchUpstream(routeId, checked.get(0));
  }

  /**
   * {@link #awaitUpstream} for a route with several upstreams: returns once new requests reach
   * {@code to}. The default waits for the first one alone (a single-upstream proxy's case, and
   * every proxy whose changes take effect before they return).
   */
  default void awaitUpstreams(String routeId, List<Upstream> to, Duration timeout) {
    awaitUpstream(routeId, Route.requireUpstreams(routeId, to).get(0), timeout);
  }

  /**
   * Returns once new requests for the route reach {@code to}: the second half of a switch
   * ({@link #switchUpstream} or {@link #upsert}). A proxy whose changes take effect before
   * they return (the default) returns at once; one that switches asynchronously (Caddy's
   * DNS-driven {@code switch=srv}) checks it, and never by waiting out an interval blindly.
   * Requests already in flight, and kept-alive connections' next requests, may still reach
   * the previous upstream for a moment: the old slot drains after this returns.
   *
   * @throws NotFoundException if there is no such route
   * @throws UnavailableException if new requests still do not reach {@code to} after
   *     {@code timeout} (the switch was made; traffic may still be on the previous upstream)
   */
  default void awaitUpstream(String routeId, Upstream to, Duration timeout) {
    java.util.Objects.requireNonNull(routeId, "routeId");
    java.util.Objects.requireNonNull(to, "to");
    java.util.Objects.requireNonNull(timeout, "timeout");
    if (route(routeId).isEmpty()) {
      throw new NotFoundException("no route " + routeId + " to wait for");
    }
  }

  /**
   * The hosts of {@code hosts} that a route other than {@code routeId} matches, CodeB's or
   * anyone else's in the proxy: the same name, or a wildcard pattern on either side that
   * matches the other ({@link HostPattern#overlap}). A deploy asks this before it starts anything.
   * The default looks at {@link #routes()}; a proxy that holds routes CodeB does not manage
   * overrides it to look at those too.
   *
   * @return one entry per host and other route that overlap; empty when all are free
   */
  default List<HostConflict> hostConflicts(String routeId, List<String> hosts) {
    java.util.Objects.requireNonNull(routeId, "routeId");
    List<HostConflict> found = new java.util.ArrayList<>();
    for (Route other : routes()) {
      if (other.id().equals(routeId)) {
        continue;
      }
      for (String host : hosts) {
        for (String pattern : other.hosts()) {
          if (HostPattern.overlap(host, pattern)) {
            found.add(new HostConflict(host, pattern, "route " + other.id()));
          }
        }
      }
    }
    return found;
  }

  /**
   * Puts the route in maintenance: from the next request on, its hosts get 503 with the
   * maintenance page and {@code Retry-After}; requests in flight finish normally. The route's
   * upstream stays as it is (a switch during maintenance is allowed and takes effect when it
   * ends), and an {@link #upsert} of the route keeps the mode. Idempotent: the same mode again
   * changes nothing; another message or Retry-After replaces it.
   *
   * @throws NotFoundException if there is no such route
   * @throws UnsupportedFeatureException if this proxy has no maintenance mode
   */
  default void maintenanceOn(String routeId, Maintenance mode) {
    throw new UnsupportedFeatureException(info().id() + " has no maintenance mode");
  }

  /**
   * Ends the route's maintenance: from the next request on its hosts reach the upstream again.
   * Idempotent.
   *
   * @return {@code false} if the route was not in maintenance
   * @throws NotFoundException if there is no such route
   */
  default boolean maintenanceOff(String routeId) {
    throw new UnsupportedFeatureException(info().id() + " has no maintenance mode");
  }

  /**
   * The route's maintenance mode, if it is on.
   *
   * @throws NotFoundException if there is no such route
   */
  default Optional<Maintenance> maintenance(String routeId) {
    route(routeId).orElseThrow(() -> new NotFoundException("no route " + routeId));
    return Optional.empty();
  }

  /**
   * The settings CodeB owns on the proxy besides its routes (for Caddy: its server's
   * {@code listen}, {@code automatic_https} and catch-all route) that differ from this
   * provider's configuration, read now. Empty when they agree, when CodeB has not made its part
   * of the proxy yet, and for proxies without such settings (the default). Writes nothing.
   */
  default List<ProxySetting> settingDifferences() {
    return List.of();
  }

  /**
   * Sets what {@link #settingDifferences} reports to the configuration's values, leaving the
   * routes alone. Idempotent: nothing happens when they agree (the default does nothing).
   */
  default void reconcileSettings() {
    // no settings of its own
  }

  /** Removes the route. Idempotent: {@code false} if there was none. */
  boolean remove(String routeId);

  @Override
  void close();
}
