package kr.codeb.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.proxy.Maintenance;
import kr.codeb.proxy.Route;
import org.junit.jupiter.api.Test;

/**
 * A {@link kr.codeb.proxy.ReverseProxy}'s maintenance mode, with real HTTP traffic: 503, the
 * page and {@code Retry-After} for the route's hosts only, the upstream back when it ends, kept
 * across an upsert and a switch. A proxy's test extends this instead of
 * {@link ReverseProxyContract}, which it includes.
 */
public abstract class ProxyMaintenanceContract extends ReverseProxyContract {

  private Route newRoute() {
    Route route = new Route(id(), List.of(host()), blue());
    proxy().upsert(route);
    return route;
  }

  private ProxyRequests.Answer ask(String host) {
    return ProxyRequests.getWithHeaders(trafficEndpoint(), host);
  }

  @Test
  public final void maintenanceAnswers503WithThePageAndRetryAfterForThatRouteOnly() {
    Route down = newRoute();
    Route other = newRoute();
    Maintenance mode = new Maintenance("Back at 10:00 <UTC> & \"soon\" {{.Host}}",
        Duration.ofSeconds(90));
    proxy().maintenanceOn(down.id(), mode);

    ProxyRequests.Answer a = ask(down.hosts().get(0));
    assertEquals(503, a.status(), a::toString);
    assertEquals("90", a.headers().get("retry-after"), a::toString);
    assertTrue(a.headers().getOrDefault("content-type", "").startsWith("text/html"), a::toString);
    assertEquals(mode.page(), a.body());
    assertTrue(a.body().contains("Back at 10:00 &lt;UTC&gt; &amp; &quot;soon&quot;"
        + " &#123;&#123;.Host&#125;&#125;"), a.body());
    assertEquals(new Reply(200, "blue"), get(other.hosts().get(0)));
    assertEquals(Optional.of(mode), proxy().maintenance(down.id()));
    assertEquals(Optional.empty(), proxy().maintenance(other.id()));

    assertTrue(proxy().maintenanceOff(down.id()));
    assertEquals(new Reply(200, "blue"), get(down.hosts().get(0)));
    assertEquals(Optional.empty(), proxy().maintenance(down.id()));
  }

  @Test
  public final void maintenanceOnAndOffAreIdempotentAndReplaceable() {
    Route route = newRoute();
    Maintenance first = Maintenance.of(Duration.ofSeconds(60));
    proxy().maintenanceOn(route.id(), first);
    proxy().maintenanceOn(route.id(), first);
    assertEquals(Optional.of(first), proxy().maintenance(route.id()));
    Maintenance second = new Maintenance("Upgrading the database", Duration.ZERO);
    proxy().maintenanceOn(route.id(), second);
    assertEquals(Optional.of(second), proxy().maintenance(route.id()));
    ProxyRequests.Answer a = ask(route.hosts().get(0));
    assertEquals(503, a.status());
    assertEquals("0", a.headers().get("retry-after"));
    assertTrue(a.body().contains("Upgrading the database"), a.body());
    assertTrue(proxy().maintenanceOff(route.id()));
    assertFalse(proxy().maintenanceOff(route.id()));
    assertEquals(new Reply(200, "blue"), get(route.hosts().get(0)));
  }

  @Test
  public final void maintenanceSurvivesASwitchAndAnUpsertAndEndsOnTheNewUpstream() {
    Route route = newRoute();
    Maintenance mode = Maintenance.of(Duration.ofSeconds(30));
    proxy().maintenanceOn(route.id(), mode);
    proxy().switchUpstream(route.id(), green());
    assertEquals(503, ask(route.hosts().get(0)).status());
    proxy().upsert(route.withUpstream(green()));
    assertEquals(503, ask(route.hosts().get(0)).status());
    assertEquals(Optional.of(mode), proxy().maintenance(route.id()));
    assertEquals(green(), proxy().route(route.id()).orElseThrow().upstream());
    proxy().maintenanceOff(route.id());
    assertEquals(new Reply(200, "green"), get(route.hosts().get(0)));
  }

  @Test
  public final void maintenanceOfAnUnknownRouteIsNotFound() {
    String absent = id();
    assertThrows(NotFoundException.class,
        () -> proxy().maintenanceOn(absent, Maintenance.of(Duration.ofSeconds(5))));
    assertThrows(NotFoundException.class, () -> proxy().maintenanceOff(absent));
    assertThrows(NotFoundException.class, () -> proxy().maintenance(absent));
  }

  @Test
  public final void badMaintenanceValuesAreRefused() {
    assertThrows(InvalidRequestException.class, () -> new Maintenance("", Duration.ZERO));
    assertThrows(InvalidRequestException.class, () -> new Maintenance("a\nb", Duration.ZERO));
    assertThrows(InvalidRequestException.class,
        () -> new Maintenance("x".repeat(Maintenance.MAX_MESSAGE + 1), Duration.ZERO));
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> Maintenance.of(Duration.ofSeconds(-1)));
    assertTrue(e.getMessage().contains("0 to 86400"), e::getMessage);
    assertThrows(InvalidRequestException.class, () -> Maintenance.of(Duration.ofDays(2)));
  }
}
