package kr.codeb.doctor.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import kr.codeb.doctor.Drift;
import kr.codeb.doctor.DriftKind;
import kr.codeb.doctor.Fix;
import kr.codeb.internal.SlotNames;
import kr.codeb.model.Slot;
import kr.codeb.proxy.ProxySetting;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;
import kr.codeb.runtime.ContainerInfo;

/**
 * The proxy against the SSOT and the release history: each project's route dials its live
 * slot on its app server; every CodeB route belongs to an SSOT entry; CodeB's own proxy
 * settings are the config's.
 */
public final class RouteChecks {
  private final ReverseProxy proxy;
  private final List<ProjectView> projects;
  private final Map<String, List<ContainerInfo>> containersByProject;

  /**
   * @param containersByProject the containers of each project's engine that carry its route id
   *     ({@code <project>-<env>}), to know which slots exist
   */
  public RouteChecks(ReverseProxy proxy, List<ProjectView> projects,
      Map<String, List<ContainerInfo>> containersByProject) {
    this.proxy = proxy;
    this.projects = List.copyOf(projects);
    this.containersByProject = Map.copyOf(containersByProject);
  }

  public List<Repairable> check(List<Route> routes) {
    List<Repairable> found = new ArrayList<>();
    for (ProxySetting s : proxy.settingDifferences()) {
      found.add(Repairable.of(new Drift(DriftKind.PROXY_SETTINGS, "proxy setting " + s.name(),
          s.expected(), s.actual(), new Fix(Fix.Action.UPDATE, "proxy", s.name(),
              "set to " + s.expected())), proxy::reconcileSettings));
    }
    for (ProjectView p : projects) {
      p.route().ifPresent(r -> upstream(p, r, found));
    }
    Set<String> known = projects.stream().map(p -> SlotNames.route(p.key()))
        .collect(Collectors.toSet());
    for (Route r : routes) {
      if (!known.contains(r.id())) {
        found.add(Repairable.of(new Drift(DriftKind.ROUTE_UNKNOWN_PROJECT, "route " + r.id(),
            "no SSOT entry has the route id " + r.id(), "route " + r.id() + " for "
                + (r.hosts().isEmpty() ? "no host" : String.join(",", r.hosts())) + " dials "
                + r.upstream().dial(), new Fix(Fix.Action.DELETE, "route", r.id(), "remove it")),
            () -> proxy.remove(r.id())));
      }
    }
    return found;
  }

  private void upstream(ProjectView p, Route route, List<Repairable> found) {
    Optional<Slot> live = p.live();
    Upstream now = route.upstream();
    Optional<Upstream> wanted = live.flatMap(p::upstream);
    Optional<Slot> dialled = p.routeSlot();
    if (wanted.map(now::equals).orElse(live.isPresent() && dialled.equals(live))) {
      return; // the live slot (by port alone when the project's server is not known)
    }
    boolean otherSlot = dialled.isPresent() && live.isPresent() && dialled.get() != live.get();
    DriftKind kind = otherSlot ? DriftKind.ROUTE_NOT_LIVE : DriftKind.ROUTE_DEAD;
    if (kind == DriftKind.ROUTE_DEAD && live.isEmpty() && dialled.isPresent()) {
      return; // never deployed by this history, and the route dials one of its slots
    }
    String subject = "route " + route.id();
    String expected = live.map(s -> "dial the live " + s.id() + " slot"
        + wanted.map(u -> " " + u.dial()).orElse("")).orElse("dial one of the project's slots "
            + p.ports().blue() + "/" + p.ports().green());
    String actual = "dials " + now.dial() + (otherSlot ? " (the " + dialled.get().id()
        + " slot)" : " (no container of " + p.describe() + " publishes it)");
    Optional<Slot> target = live.filter(s -> slotExists(p, s));
    if (wanted.isPresent() && target.isPresent()) {
      Upstream to = wanted.get();
      found.add(Repairable.of(new Drift(kind, subject, expected, actual,
          new Fix(Fix.Action.UPDATE, "route", route.id(), "dial " + to.dial())),
          () -> proxy.switchUpstream(route.id(), to)));
    } else {
      found.add(Repairable.manual(new Drift(kind, subject, expected, actual,
          Fix.manual("route", route.id(), "no live container to switch to: deploy "
              + p.describe() + " again"))));
    }
  }

  /** Whether the slot's container exists (running, or stopped and started by its own fix). */
  private boolean slotExists(ProjectView p, Slot slot) {
    String name = SlotNames.container(p.key(), slot).value();
    return containersByProject.getOrDefault(SlotNames.route(p.key()), List.of()).stream()
        .anyMatch(c -> name.equals(c.name()));
  }
}
