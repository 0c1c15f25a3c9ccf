package kr.codeb.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import kr.codeb.ConflictException;
import kr.codeb.proxy.HostConflict;
import kr.codeb.proxy.Route;
import org.junit.jupiter.api.Test;

/**
 * The host-conflict part of {@link ReverseProxyContract}: which routes' hosts overlap (exact
 * names and one-label wildcards, either way), and that an upsert claiming a host another route
 * already serves is refused without writing anything. A proxy's test extends
 * {@link ReverseProxyContract}, which includes this.
 */
public abstract class ProxyHostConflictContract extends ProxyContractFixtures {

  @Test
  public final void hostConflictsFindWildcardOverlapsEitherWayButNotTheRouteItself() {
    String zone = run() + ".wild.test";
    Route wild = new Route(id(), List.of("*." + zone), blue());
    proxy().upsert(wild);
    Route concrete = new Route(id(), List.of("a.other-" + zone), green());
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
    String zone = run() + ".upsert-wild.test";
    Route wild = new Route(id(), List.of("*." + zone), blue());
    proxy().upsert(wild);
    Route narrow = new Route(id(), List.of("x." + zone), green());
    assertThrows(ConflictException.class, () -> proxy().upsert(narrow));
    assertEquals(Optional.empty(), proxy().route(narrow.id()), "nothing of it was written");
    Route concrete = new Route(id(), List.of("a.other-" + zone), green());
    proxy().upsert(concrete);
    Route wider = new Route(id(), List.of("*.other-" + zone), blue());
    assertThrows(ConflictException.class, () -> proxy().upsert(wider));
    assertEquals(Optional.empty(), proxy().route(wider.id()));
  }

  @Test
  public final void twoRoutesClaimingTheSameHostConflict() {
    Route first = route(blue());
    proxy().upsert(first);
    String shared = first.hosts().get(0);
    Route second = new Route(id(), List.of(host(), shared), green());

    assertThrows(ConflictException.class, () -> proxy().upsert(second));
    assertEquals(Optional.empty(), proxy().route(second.id()));
    assertEquals(new Reply(200, "blue"), get(shared));
    assertEquals(404, get(second.hosts().get(0)).status(), "nothing of the refused route was written");

    // The same route may keep its own hosts when it is replaced.
    Route again = first.withUpstream(green());
    proxy().upsert(again);
    assertEquals(new Reply(200, "green"), get(shared));
  }
}
