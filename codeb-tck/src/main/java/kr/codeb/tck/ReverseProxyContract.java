package kr.codeb.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.proxy.Route;
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
 *
 * <p>The checks come in layers, each a superclass of the next, so that a proxy's test that
 * extends this runs all of them: {@link ProxyContractFixtures} (upstreams, ids, requests),
 * {@link ProxyHostConflictContract} (overlapping hosts), {@link ProxySwitchContract}
 * (switching upstreams), and here the routes themselves: upsert, read back, replace, remove.
 */
public abstract class ReverseProxyContract extends ProxySwitchContract {

  @Test
  public final void upsertSendsTheHostsTrafficToTheUpstream() {
    Route route = route(blue());
    proxy().upsert(route);
    assertEquals(new Reply(200, "blue"), get(route.hosts().get(0)));
  }

  @Test
  public final void routesListsTheRouteAndRouteFindsIt() {
    Route first = route(blue());
    Route second = route(green());
    proxy().upsert(first);
    proxy().upsert(second);
    List<Route> listed = proxy().routes();
    assertTrue(listed.contains(first), () -> "routes() = " + listed);
    assertTrue(listed.contains(second), () -> "routes() = " + listed);
    assertTrue(listed.indexOf(first) < listed.indexOf(second),
        () -> "routes are listed in the order they were created: " + listed);
    assertEquals(Optional.of(first), proxy().route(first.id()));
    assertEquals(Optional.empty(), proxy().route(run() + "-missing"));
  }

  @Test
  public final void upsertOfAnEqualRouteIsIdempotent() {
    Route route = route(blue());
    proxy().upsert(route);
    proxy().upsert(route);
    proxy().upsert(new Route(route.id(), List.copyOf(route.hosts()), route.upstream()));
    assertEquals(1, proxy().routes().stream().filter(r -> r.id().equals(route.id())).count());
    assertEquals(Optional.of(route), proxy().route(route.id()));
    assertEquals(new Reply(200, "blue"), get(route.hosts().get(0)));
  }

  @Test
  public final void upsertReplacesTheRouteWithTheSameId() {
    Route route = route(blue());
    proxy().upsert(route);
    Route moved = new Route(route.id(), List.of(host()), green());
    proxy().upsert(moved);
    assertEquals(Optional.of(moved), proxy().route(route.id()));
    assertEquals(404, get(route.hosts().get(0)).status());
    assertEquals(new Reply(200, "green"), get(moved.hosts().get(0)));
  }

  @Test
  public final void removeIsIdempotentAndTheHostThenGets404() {
    Route route = route(blue());
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
    proxy().upsert(route(blue())); // the proxy is set up and serving
    Reply reply = get(host());
    assertEquals(404, reply.status(), () -> "unknown host answered " + reply);
  }

  @Test
  public final void removeOfAnUnknownRouteIsFalse() {
    assertFalse(proxy().remove(run() + "-missing"));
  }

  @Test
  public final void routeWithoutHostsMatchesNothing() {
    Route route = new Route(id(), List.of(), blue());
    proxy().upsert(route);
    assertEquals(Optional.of(route), proxy().route(route.id()));
    assertEquals(404, get(host()).status());
    assertEquals(404, get("localhost").status());

    proxy().switchUpstream(route.id(), green());
    assertEquals(Optional.of(route.withUpstream(green())), proxy().route(route.id()));
    assertEquals(404, get(host()).status());
  }

  @Test
  public final void concurrentUpsertsLoseNoUpdate() throws Exception {
    int threads = 8;
    List<Route> routes = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      routes.add(route(i % 2 == 0 ? blue() : green()));
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
}
