package kr.codeb.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.UnsupportedFeatureException;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;
import org.junit.jupiter.api.Test;

/**
 * The switching part of {@link ReverseProxyContract}: {@code switchUpstream} and
 * {@code switchUpstreams} move a route's traffic, {@code awaitUpstream} returns only once every
 * new request reaches the new upstream, and a route over several upstreams is balanced round
 * robin (or refused by a proxy that cannot balance). A proxy's test extends
 * {@link ReverseProxyContract}, which includes this.
 */
public abstract class ProxySwitchContract extends ProxyHostConflictContract {

  @Test
  public final void switchUpstreamTakesEffectForTheVeryNextRequest() {
    Route route = route(blue());
    proxy().upsert(route);
    String host = route.hosts().get(0);
    assertEquals(new Reply(200, "blue"), get(host));

    proxy().switchUpstream(route.id(), green());
    proxy().awaitUpstream(route.id(), green(), Duration.ofSeconds(10));
    assertEquals(new Reply(200, "green"), get(host));
    assertEquals(Optional.of(route.withUpstream(green())), proxy().route(route.id()));

    proxy().switchUpstream(route.id(), blue());
    proxy().awaitUpstream(route.id(), blue(), Duration.ofSeconds(10));
    assertEquals(new Reply(200, "blue"), get(host));
  }

  @Test
  public final void afterAwaitUpstreamEveryNewRequestReachesTheNewUpstream() {
    Route route = route(blue());
    proxy().upsert(route);
    proxy().awaitUpstream(route.id(), blue(), Duration.ofSeconds(10));
    String host = route.hosts().get(0);
    for (Upstream to : List.of(green(), blue(), green())) {
      String name = to.equals(blue()) ? "blue" : "green";
      proxy().switchUpstream(route.id(), to);
      proxy().awaitUpstream(route.id(), to, Duration.ofSeconds(10));
      for (int i = 0; i < 20; i++) {
        assertEquals(new Reply(200, name), get(host), "request " + i + " after awaitUpstream");
      }
      // Waiting again for the upstream it already reaches returns (at once).
      proxy().awaitUpstream(route.id(), to, Duration.ofSeconds(10));
    }
  }

  @Test
  public final void awaitUpstreamOfAnUnknownRouteIsNotFound() {
    assertThrows(NotFoundException.class,
        () -> proxy().awaitUpstream(run() + "-missing", green(), Duration.ofSeconds(1)));
  }

  @Test
  public final void switchUpstreamOfAnUnknownRouteIsNotFound() {
    String id = run() + "-missing";
    assertThrows(NotFoundException.class, () -> proxy().switchUpstream(id, green()));
    assertEquals(Optional.empty(), proxy().route(id));
  }

  /**
   * Whether this proxy balances a route over several upstreams (one project on several app
   * servers). A proxy that does not must refuse such a route and such a switch with
   * {@link UnsupportedFeatureException}, changing nothing; the contract checks either.
   */
  protected boolean balancesSeveralUpstreams() {
    return true;
  }

  @Test
  public final void aRouteOverSeveralUpstreamsSendsRequestsToEachRoundRobin() {
    Route route = new Route(id(), List.of(host()), List.of(blue(), green()));
    if (!balancesSeveralUpstreams()) {
      assertThrows(UnsupportedFeatureException.class, () -> proxy().upsert(route));
      assertEquals(Optional.empty(), proxy().route(route.id()), "nothing of it was written");
      return;
    }
    proxy().upsert(route);
    SeveralUpstreams.assertSame(route, proxy().route(route.id()));
    proxy().awaitUpstreams(route.id(), route.upstreams(), Duration.ofSeconds(10));
    Map<String, Integer> seen = SeveralUpstreams.count(this::get, route.hosts().get(0), 20);
    assertEquals(Set.of("blue", "green"), seen.keySet(), "every answer came from one of them");
    assertTrue(seen.get("blue") >= 5 && seen.get("green") >= 5,
        "round robin sends each upstream its share of 20 requests: " + seen);
  }

  @Test
  public final void switchUpstreamsMovesTheRouteToAllOfThemAtOnce() {
    HttpServer redServer = NamedUpstreams.start("red");
    try {
      Upstream red = NamedUpstreams.upstreamOf(redServer);
      Route route = route(blue());
      proxy().upsert(route);
      String host = route.hosts().get(0);
      if (!balancesSeveralUpstreams()) {
        assertThrows(UnsupportedFeatureException.class,
            () -> proxy().switchUpstreams(route.id(), List.of(green(), red)));
        assertEquals(Optional.of(route), proxy().route(route.id()), "the route is unchanged");
        assertEquals(new Reply(200, "blue"), get(host));
        return;
      }
      proxy().switchUpstreams(route.id(), List.of(green(), red));
      proxy().awaitUpstreams(route.id(), List.of(green(), red), Duration.ofSeconds(10));
      SeveralUpstreams.assertSame(route.withUpstreams(List.of(green(), red)),
          proxy().route(route.id()));
      Map<String, Integer> seen = SeveralUpstreams.count(this::get, host, 20);
      assertEquals(Set.of("green", "red"), seen.keySet(),
          "after the switch no new request reaches the old upstream: " + seen);
      proxy().switchUpstreams(route.id(), List.of(blue()));
      proxy().awaitUpstreams(route.id(), List.of(blue()), Duration.ofSeconds(10));
      assertEquals(Optional.of(route), proxy().route(route.id()), "back to one upstream");
      assertEquals(Map.of("blue", 10), SeveralUpstreams.count(this::get, host, 10));
    } finally {
      redServer.stop(0);
    }
  }

  @Test
  public final void switchUpstreamsRefusesBadListsAndUnknownRoutes() {
    Route route = route(blue());
    proxy().upsert(route);
    assertThrows(InvalidRequestException.class,
        () -> proxy().switchUpstreams(route.id(), List.of()));
    assertThrows(InvalidRequestException.class,
        () -> proxy().switchUpstreams(route.id(), List.of(green(), green())));
    assertEquals(Optional.of(route), proxy().route(route.id()), "nothing changed");
    assertThrows(NotFoundException.class,
        () -> proxy().switchUpstreams(run() + "-missing", List.of(green())));
  }
}
