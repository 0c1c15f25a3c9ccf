package kr.codeb.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Map;
import java.util.Set;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.UnsupportedFeatureException;
import kr.codeb.proxy.HostConflict;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ReverseProxy} must do, checked with real HTTP traffic. A proxy's test
 * extends this once and says which proxy to drive and where to send requests through it.
 *
 * <p>The contract starts its own two upstream HTTP servers on loopback, answering {@code blue}
 * and {@code green}. Route ids and host names are unique per test ({@code tck-<random>-<n>}
 * under {@code codeb-tck.test}), and every route a test created is removed afterwards, so the
 * suite can run against a proxy that serves other routes too. Requests are sent over a fresh
 * socket each time with an explicit {@code Host} header ({@code Connection: close}), so a
 * proxy reload never hits a reused connection.
 *
 * <p>The proxy handed out by {@link #proxy()} must stay open until all test methods of the class
 * ran (the cleanup after each test uses it): open it in a {@code @BeforeAll} and close it in an
 * {@code @AfterAll}.
 */
public abstract class ReverseProxyContract {
  /** The domain the contract's hosts live under. */
  public static final String DOMAIN = "codeb-tck.test";

  private final String run = "tck-" + UUID.randomUUID().toString().substring(0, 8);
  private final AtomicInteger counter = new AtomicInteger();
  private final List<String> created = new CopyOnWriteArrayList<>();
  private HttpServer blueServer;
  private HttpServer greenServer;
  private Upstream blue;
  private Upstream green;

  /** The proxy under test. */
  protected abstract ReverseProxy proxy();

  /** Where plain-HTTP requests through the proxy go ({@code http://127.0.0.1:PORT}). */
  protected abstract URI trafficEndpoint();

  @BeforeEach
  final void startUpstreams() {
    blueServer = NamedUpstreams.start("blue");
    greenServer = NamedUpstreams.start("green");
    blue = NamedUpstreams.upstreamOf(blueServer);
    green = NamedUpstreams.upstreamOf(greenServer);
  }

  @AfterEach
  final void removeRoutesAndStopUpstreams() {
    try {
      for (String id : created) {
        try {
          proxy().remove(id);
        } catch (RuntimeException e) {
          System.err.println("ReverseProxyContract: could not remove route " + id + ": " + e);
        }
      }
    } finally {
      blueServer.stop(0);
      greenServer.stop(0);
    }
  }

  @Test
  public final void hostConflictsFindWildcardOverlapsEitherWayButNotTheRouteItself() {
    String zone = run + ".wild.test";
    Route wild = new Route(id(), List.of("*." + zone), blue);
    proxy().upsert(wild);
    Route concrete = new Route(id(), List.of("a.other-" + zone), green);
    proxy().upsert(concrete);
    List<HostConflict> one = proxy().hostConflicts("tck-asker", List.of("x." + zone));
    assertEquals(List.of(new HostConflict("x." + zone, "*." + zone, "route " + wild.id())), one);
    assertEquals(List.of(new HostConflict("*.other-" + zone, "a.other-" + zone,
        "route " + concrete.id())), proxy().hostConflicts("tck-asker",
            List.of("*.other-" + zone)));
    assertEquals(List.of(), proxy().hostConflicts(wild.id(), List.of("x." + zone)),
        "a route does not conflict with itself");
    assertEquals(List.of(), proxy().hostConflicts("tck-asker", List.of("x.y." + zone)),
        "a wildcard stands for one label");
  }

  @Test
  public final void upsertRefusesAHostAnotherRoutesWildcardMatchesEitherWay() {
    String zone = run + ".upsert-wild.test";
    Route wild = new Route(id(), List.of("*." + zone), blue);
    proxy().upsert(wild);
    Route narrow = new Route(id(), List.of("x." + zone), green);
    assertThrows(ConflictException.class, () -> proxy().upsert(narrow));
    assertEquals(Optional.empty(), proxy().route(narrow.id()), "nothing of it was written");
    Route concrete = new Route(id(), List.of("a.other-" + zone), green);
    proxy().upsert(concrete);
    Route wider = new Route(id(), List.of("*.other-" + zone), blue);
    assertThrows(ConflictException.class, () -> proxy().upsert(wider));
    assertEquals(Optional.empty(), proxy().route(wider.id()));
  }

  @Test
  public final void upsertSendsTheHostsTrafficToTheUpstream() {
    Route route = route(blue);
    proxy().upsert(route);
    assertEquals(new Reply(200, "blue"), get(route.hosts().get(0)));
  }

  @Test
  public final void switchUpstreamTakesEffectForTheVeryNextRequest() {
    Route route = route(blue);
    proxy().upsert(route);
    String host = route.hosts().get(0);
    assertEquals(new Reply(200, "blue"), get(host));

    proxy().switchUpstream(route.id(), green);
    proxy().awaitUpstream(route.id(), green, Duration.ofSeconds(10));
    assertEquals(new Reply(200, "green"), get(host));
    assertEquals(Optional.of(route.withUpstream(green)), proxy().route(route.id()));

    proxy().switchUpstream(route.id(), blue);
    proxy().awaitUpstream(route.id(), blue, Duration.ofSeconds(10));
    assertEquals(new Reply(200, "blue"), get(host));
  }

  @Test
  public final void afterAwaitUpstreamEveryNewRequestReachesTheNewUpstream() {
    Route route = route(blue);
    proxy().upsert(route);
    proxy().awaitUpstream(route.id(), blue, Duration.ofSeconds(10));
    String host = route.hosts().get(0);
    for (Upstream to : List.of(green, blue, green)) {
      String name = to.equals(blue) ? "blue" : "green";
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
        () -> proxy().awaitUpstream(run + "-missing", green, Duration.ofSeconds(1)));
  }

  @Test
  public final void routesListsTheRouteAndRouteFindsIt() {
    Route first = route(blue);
    Route second = route(green);
    proxy().upsert(first);
    proxy().upsert(second);
    List<Route> listed = proxy().routes();
    assertTrue(listed.contains(first), () -> "routes() = " + listed);
    assertTrue(listed.contains(second), () -> "routes() = " + listed);
    assertTrue(listed.indexOf(first) < listed.indexOf(second),
        () -> "routes are listed in the order they were created: " + listed);
    assertEquals(Optional.of(first), proxy().route(first.id()));
    assertEquals(Optional.empty(), proxy().route(run + "-missing"));
  }

  @Test
  public final void upsertOfAnEqualRouteIsIdempotent() {
    Route route = route(blue);
    proxy().upsert(route);
    proxy().upsert(route);
    proxy().upsert(new Route(route.id(), List.copyOf(route.hosts()), route.upstream()));
    assertEquals(1, proxy().routes().stream().filter(r -> r.id().equals(route.id())).count());
    assertEquals(Optional.of(route), proxy().route(route.id()));
    assertEquals(new Reply(200, "blue"), get(route.hosts().get(0)));
  }

  @Test
  public final void upsertReplacesTheRouteWithTheSameId() {
    Route route = route(blue);
    proxy().upsert(route);
    Route moved = new Route(route.id(), List.of(host()), green);
    proxy().upsert(moved);
    assertEquals(Optional.of(moved), proxy().route(route.id()));
    assertEquals(404, get(route.hosts().get(0)).status());
    assertEquals(new Reply(200, "green"), get(moved.hosts().get(0)));
  }

  @Test
  public final void removeIsIdempotentAndTheHostThenGets404() {
    Route route = route(blue);
    proxy().upsert(route);
    String host = route.hosts().get(0);
    assertEquals(new Reply(200, "blue"), get(host));

    assertTrue(proxy().remove(route.id()));
    assertFalse(proxy().remove(route.id()));
    assertEquals(Optional.empty(), proxy().route(route.id()));
    assertEquals(404, get(host).status());
  }

  @Test
  public final void unknownHostGets404NotAnEmpty200() {
    proxy().upsert(route(blue)); // the proxy is set up and serving
    Reply reply = get(host());
    assertEquals(404, reply.status(), () -> "unknown host answered " + reply);
  }

  @Test
  public final void switchUpstreamOfAnUnknownRouteIsNotFound() {
    String id = run + "-missing";
    assertThrows(NotFoundException.class, () -> proxy().switchUpstream(id, green));
    assertEquals(Optional.empty(), proxy().route(id));
  }

  @Test
  public final void removeOfAnUnknownRouteIsFalse() {
    assertFalse(proxy().remove(run + "-missing"));
  }

  @Test
  public final void routeWithoutHostsMatchesNothing() {
    Route route = new Route(id(), List.of(), blue);
    proxy().upsert(route);
    assertEquals(Optional.of(route), proxy().route(route.id()));
    assertEquals(404, get(host()).status());
    assertEquals(404, get("localhost").status());

    proxy().switchUpstream(route.id(), green);
    assertEquals(Optional.of(route.withUpstream(green)), proxy().route(route.id()));
    assertEquals(404, get(host()).status());
  }

  @Test
  public final void twoRoutesClaimingTheSameHostConflict() {
    Route first = route(blue);
    proxy().upsert(first);
    String shared = first.hosts().get(0);
    Route second = new Route(id(), List.of(host(), shared), green);

    assertThrows(ConflictException.class, () -> proxy().upsert(second));
    assertEquals(Optional.empty(), proxy().route(second.id()));
    assertEquals(new Reply(200, "blue"), get(shared));
    assertEquals(404, get(second.hosts().get(0)).status(), "nothing of the refused route was written");

    // The same route may keep its own hosts when it is replaced.
    Route again = first.withUpstream(green);
    proxy().upsert(again);
    assertEquals(new Reply(200, "green"), get(shared));
  }

  @Test
  public final void concurrentUpsertsLoseNoUpdate() throws Exception {
    int threads = 8;
    List<Route> routes = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      routes.add(route(i % 2 == 0 ? blue : green));
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (Route route : routes) {
        done.add(pool.submit(() -> {
          start.await();
          proxy().upsert(route);
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    List<Route> listed = proxy().routes();
    for (int i = 0; i < threads; i++) {
      Route route = routes.get(i);
      assertTrue(listed.contains(route), () -> "lost " + route + "; routes() = " + listed);
      assertEquals(new Reply(200, i % 2 == 0 ? "blue" : "green"), get(route.hosts().get(0)));
    }
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
    Route route = new Route(id(), List.of(host()), List.of(blue, green));
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
      Route route = route(blue);
      proxy().upsert(route);
      String host = route.hosts().get(0);
      if (!balancesSeveralUpstreams()) {
        assertThrows(UnsupportedFeatureException.class,
            () -> proxy().switchUpstreams(route.id(), List.of(green, red)));
        assertEquals(Optional.of(route), proxy().route(route.id()), "the route is unchanged");
        assertEquals(new Reply(200, "blue"), get(host));
        return;
      }
      proxy().switchUpstreams(route.id(), List.of(green, red));
      proxy().awaitUpstreams(route.id(), List.of(green, red), Duration.ofSeconds(10));
      SeveralUpstreams.assertSame(route.withUpstreams(List.of(green, red)),
          proxy().route(route.id()));
      Map<String, Integer> seen = SeveralUpstreams.count(this::get, host, 20);
      assertEquals(Set.of("green", "red"), seen.keySet(),
          "after the switch no new request reaches the old upstream: " + seen);
      proxy().switchUpstreams(route.id(), List.of(blue));
      proxy().awaitUpstreams(route.id(), List.of(blue), Duration.ofSeconds(10));
      assertEquals(Optional.of(route), proxy().route(route.id()), "back to one upstream");
      assertEquals(Map.of("blue", 10), SeveralUpstreams.count(this::get, host, 10));
    } finally {
      redServer.stop(0);
    }
  }

  @Test
  public final void switchUpstreamsRefusesBadListsAndUnknownRoutes() {
    Route route = route(blue);
    proxy().upsert(route);
    assertThrows(InvalidRequestException.class,
        () -> proxy().switchUpstreams(route.id(), List.of()));
    assertThrows(InvalidRequestException.class,
        () -> proxy().switchUpstreams(route.id(), List.of(green, green)));
    assertEquals(Optional.of(route), proxy().route(route.id()), "nothing changed");
    assertThrows(NotFoundException.class,
        () -> proxy().switchUpstreams(run + "-missing", List.of(green)));
  }

  // --- helpers -------------------------------------------------------------------------------

  /** A new unique route id, removed after the test. */
  protected final String id() {
    String id = run + "-" + counter.incrementAndGet();
    created.add(id);
    return id;
  }

  /** The upstream answering {@code blue}. */
  protected final Upstream blue() {
    return blue;
  }

  /** The upstream answering {@code green}. */
  protected final Upstream green() {
    return green;
  }

  /** A new unique host name under {@link #DOMAIN}. */
  protected final String host() {
    return run + "-h" + counter.incrementAndGet() + "." + DOMAIN;
  }

  private Route route(Upstream to) {
    return new Route(id(), List.of(host()), to);
  }

  /** What came back for a request: status and body. */
  public record Reply(int status, String body) {}

  /** A GET of {@code /} through the proxy with the given Host header, on a fresh connection. */
  protected final Reply get(String host) {
    return ProxyRequests.get(trafficEndpoint(), host);
  }
}
