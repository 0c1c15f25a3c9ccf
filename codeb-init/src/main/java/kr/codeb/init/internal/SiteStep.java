package kr.codeb.init.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kr.codeb.NotFoundException;
import kr.codeb.init.InitRequest;
import kr.codeb.init.InitStep;
import kr.codeb.init.StepAction;
import kr.codeb.init.StepPlan;
import kr.codeb.init.StepResult;
import kr.codeb.model.IpAddress;
import kr.codeb.ports.SlotPorts;
import kr.codeb.ports.SsotStore;
import kr.codeb.proxy.HostConflict;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;

/**
 * Step 6: the project's route on the edge's proxy ({@code <project>-<env>}, the route deploys
 * switch) serving the domain, dialling the app server's blue port until the first deploy. A
 * route that dials something other than the project's ports, or another route serving the
 * domain, differs. Created items: {@code route}, or {@code host:<domain>} when the route
 * existed and only the host was added.
 */
public final class SiteStep implements InitStep {
  private final InitRequest request;
  private final ReverseProxy proxy;
  private final SsotStore ssot;
  private final IpAddress upstreamAddress;

  public SiteStep(InitRequest request, ReverseProxy proxy, SsotStore ssot,
      IpAddress upstreamAddress) {
    this.request = request;
    this.proxy = proxy;
    this.ssot = ssot;
    this.upstreamAddress = upstreamAddress;
  }

  @Override
  public String id() {
    return "site";
  }

  @Override
  public String title() {
    return "Caddy site";
  }

  private String routeId() {
    return request.key().id();
  }

  @Override
  public StepPlan plan() {
    List<HostConflict> conflicts = proxy.hostConflicts(routeId(), List.of(request.domain()));
    if (!conflicts.isEmpty()) {
      return StepPlan.differs(this, conflicts.get(0).describe() + ": left alone", List.of());
    }
    Optional<SlotPorts> ports = ssot.read().ports(request.project(), request.environment());
    Optional<Route> route = proxy.route(routeId());
    if (route.isEmpty()) {
      return StepPlan.of(this, StepAction.CREATE, List.of("route " + routeId() + ": "
          + request.domain() + " -> " + upstreamAddress.value() + ":" + ports.map(p ->
              String.valueOf(p.blue())).orElse("<blue port of step 1>")));
    }
    Route r = route.get();
    boolean ours = ports.isPresent() && ports.get().slotOf(r.upstream().port()).isPresent();
    if (!ours) {
      return StepPlan.differs(this, "route " + routeId() + " dials " + r.upstream().dial()
          + ", not a port of " + request.key() + " in the SSOT: left alone", List.of());
    }
    if (r.hosts().contains(request.domain())) {
      return StepPlan.of(this, StepAction.UNCHANGED, List.of("route " + routeId() + " serves "
          + request.domain() + " -> " + r.upstream().dial()));
    }
    return StepPlan.of(this, StepAction.UPDATE, List.of("add " + request.domain()
        + " to route " + routeId() + " (" + r.upstream().dial() + ")"));
  }

  @Override
  public List<String> intended(StepPlan plan) {
    Optional<Route> route = proxy.route(routeId());
    if (route.isEmpty()) {
      return List.of("route");
    }
    return route.get().hosts().contains(request.domain()) ? List.of()
        : List.of("host:" + request.domain());
  }

  @Override
  public StepResult apply(StepPlan plan) {
    Optional<Route> route = proxy.route(routeId());
    List<String> created = new ArrayList<>();
    if (route.isEmpty()) {
      SlotPorts ports = ssot.read().ports(request.project(), request.environment())
          .orElseThrow(() -> new NotFoundException(request.key() + " holds no ports in the"
              + " SSOT (step 1)"));
      proxy.upsert(new Route(routeId(), List.of(request.domain()),
          new Upstream(upstreamAddress, ports.blue())));
      created.add("route");
      return StepResult.done(plan, List.of("created route " + routeId() + ": "
          + request.domain() + " -> " + upstreamAddress.value() + ":" + ports.blue()), created);
    }
    List<String> hosts = new ArrayList<>(route.get().hosts());
    if (!hosts.contains(request.domain())) {
      hosts.add(request.domain());
      proxy.upsert(route.get().withHosts(hosts));
      created.add("host:" + request.domain());
    }
    return StepResult.done(plan, List.of("route " + routeId() + " serves " + request.domain()),
        created);
  }

  @Override
  public List<String> undoPlan(List<String> created, boolean deleteData) {
    Optional<Route> route = proxy.route(routeId());
    if (route.isEmpty()) {
      return List.of();
    }
    if (created.contains("route")) {
      return List.of("remove route " + routeId());
    }
    return created.stream().filter(c -> c.startsWith("host:"))
        .map(c -> c.substring(5)).filter(route.get().hosts()::contains)
        .map(h -> "remove " + h + " from route " + routeId()).toList();
  }

  @Override
  public List<String> undo(List<String> created, boolean deleteData) {
    Optional<Route> route = proxy.route(routeId());
    if (route.isEmpty()) {
      return List.of();
    }
    if (created.contains("route")) {
      return proxy.remove(routeId()) ? List.of("removed route " + routeId()) : List.of();
    }
    List<String> drop = created.stream().filter(c -> c.startsWith("host:"))
        .map(c -> c.substring(5)).filter(route.get().hosts()::contains).toList();
    if (drop.isEmpty()) {
      return List.of();
    }
    proxy.upsert(route.get().withHosts(route.get().hosts().stream()
        .filter(h -> !drop.contains(h)).toList()));
    return drop.stream().map(h -> "removed " + h + " from route " + routeId()).toList();
  }
}
