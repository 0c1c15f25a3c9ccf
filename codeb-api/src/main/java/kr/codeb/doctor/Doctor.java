package kr.codeb.doctor;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import kr.codeb.NotFoundException;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.ReleaseOutcome;
import kr.codeb.deploy.ReleaseRecord;
import kr.codeb.doctor.internal.ContainerChecks;
import kr.codeb.doctor.internal.DatabaseChecks;
import kr.codeb.doctor.internal.DnsChecks;
import kr.codeb.doctor.internal.FirewallChecks;
import kr.codeb.doctor.internal.ProjectView;
import kr.codeb.doctor.internal.Repairable;
import kr.codeb.doctor.internal.RouteChecks;
import kr.codeb.fleet.Role;
import kr.codeb.fleet.Server;
import kr.codeb.internal.SlotNames;
import kr.codeb.model.Environment;
import kr.codeb.model.IpAddress;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.Finding;
import kr.codeb.ports.FindingKind;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.ProjectEntry;
import kr.codeb.ports.Registry;
import kr.codeb.ports.RepairPolicy;
import kr.codeb.ports.ServicePort;
import kr.codeb.ports.internal.ServiceEntries;
import kr.codeb.ports.SlotPorts;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.proxy.Route;
import kr.codeb.runtime.ContainerInfo;

/**
 * Compares what CodeB believes with what the fleet runs, and fixes the difference on request.
 *
 * <p>{@link #examine} reads, and writes nothing: the SSOT's own findings; on each server's
 * engine, the live slot of every deployed project (the release history's, else the route's),
 * CodeB-labelled containers no SSOT entry owns, and containers on another project's port; on
 * the proxy, each route's upstream against the live slot, routes of unknown projects and
 * CodeB's own proxy settings; in DNS, the records of the domains CodeB manages against the
 * edge's address; in the firewall, storage ports without their rule and CodeB rules for ports
 * nothing uses; on the storage servers, each database service of the SSOT against its
 * container, and CodeB's database containers no service owns. Each {@link Drift} has a
 * stable {@link DriftKind}.
 *
 * <p>{@link #apply} carries out the automatic fixes in that order (SSOT, containers,
 * databases, proxy, DNS, firewall). The fixes start and stop containers, switch and remove CodeB's routes, set
 * CodeB's proxy settings, write record sets of CodeB's domains and add or revoke CodeB's rules;
 * they never remove a container, an image or a volume, nor change anything CodeB did not make.
 * Examining again after a successful apply finds none of the fixed drifts.
 */
public final class Doctor {
  private static final Set<ReleaseOutcome> SWITCHED =
      EnumSet.of(ReleaseOutcome.DEPLOYED, ReleaseOutcome.PROMOTED, ReleaseOutcome.ROLLED_BACK);

  private final DoctorContext context;

  public Doctor(DoctorContext context) {
    this.context = Objects.requireNonNull(context, "context");
  }

  /** Reads every side and returns the drifts with their fixes; writes nothing. */
  public DoctorPlan examine() {
    List<Repairable> found = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    Registry registry = context.ssot().read();
    ssotFindings(registry, found);

    Optional<List<Route>> routes = read("routes of the proxy", failures,
        () -> context.proxy().map(ReverseProxy::routes).orElse(List.of()));
    Map<String, Route> routeById = new HashMap<>();
    routes.orElse(List.of()).forEach(r -> routeById.put(r.id(), r));
    Map<Integer, DeployKey> owners = new HashMap<>();
    List<ProjectView> views = views(registry, routeById, owners, notes);

    Map<ServerEngine, List<ContainerInfo>> containers = new LinkedHashMap<>();
    for (ServerEngine e : context.engines()) {
      read("containers on " + e.server(), failures, () -> e.runtime().list(Map.of()))
          .ifPresent(list -> containers.put(e, list));
    }
    // App servers' engines run the projects; a storage server's containers only tell the
    // firewall check which ports are in use.
    containers.forEach((engine, list) -> {
      if (engine.has(Role.APP)) {
        found.addAll(new ContainerChecks(engine, views.stream()
            .filter(v -> v.engine().filter(engine::equals).isPresent()).toList(), owners)
            .check(list));
      }
    });

    databases(registry, containers, found, notes);

    if (context.proxy().isPresent() && routes.isPresent()) {
      Map<String, List<ContainerInfo>> byRoute = new HashMap<>();
      for (ProjectView v : views) {
        byRoute.put(SlotNames.route(v.key()), v.engine().map(containers::get)
            .orElse(List.of()).stream().filter(c -> belongs(c, v.key())).toList());
      }
      read("the proxy's settings", failures, () -> new RouteChecks(context.proxy().get(), views,
          byRoute).check(routes.get())).ifPresent(found::addAll);
    } else if (context.proxy().isEmpty()) {
      notes.add("routes not compared: no proxy given");
    }

    if (context.dns().isPresent()) {
      Optional<IpAddress> edge = context.topology().single(Role.EDGE).map(Server::publicAddress);
      if (edge.isEmpty()) {
        notes.add("domain addresses not compared: the config has no single edge server");
      }
      read("DNS records", failures, () -> new DnsChecks(context.dns().get(), edge).check())
          .ifPresent(found::addAll);
    } else {
      notes.add("DNS not compared: no DNS provider given");
    }

    firewall(registry, containers, found, notes, failures);
    return new DoctorPlan(found, notes, failures);
  }

  /**
   * Carries out the plan's automatic fixes in order. A fix that fails is reported and the
   * others still run; manual fixes are reported as not applied.
   */
  public List<FixOutcome> apply(DoctorPlan plan) {
    Objects.requireNonNull(plan, "plan");
    List<FixOutcome> outcomes = new ArrayList<>();
    for (Repairable r : plan.found()) {
      if (r.repair().isEmpty()) {
        outcomes.add(new FixOutcome(r.drift(), false, Optional.empty()));
        continue;
      }
      try {
        r.repair().get().run();
        outcomes.add(new FixOutcome(r.drift(), true, Optional.empty()));
      } catch (RuntimeException e) {
        outcomes.add(new FixOutcome(r.drift(), false,
            Optional.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
      }
    }
    return outcomes;
  }

  private void ssotFindings(Registry registry, List<Repairable> found) {
    List<Finding> findings = PortOperations.check(registry);
    // A record that repair rewrites to match a project entry is no orphan or stale any more.
    Set<Integer> rewritten = new TreeSet<>();
    findings.stream().filter(f -> rewrites(f.kind())).forEach(f -> f.port()
        .ifPresent(rewritten::add));
    for (Finding f : findings) {
      String subject = "ssot " + f.kind().id() + f.port().map(p -> " " + p).orElse("");
      boolean byRepair = rewrites(f.kind())
          || (f.kind().repairable() && f.port().filter(rewritten::contains).isPresent());
      Drift d = new Drift(DriftKind.SSOT_FINDING, subject, "a consistent SSOT", f.message(),
          byRepair ? new Fix(Fix.Action.UPDATE, "ssot", "ports.allocated"
              + f.port().map(p -> "." + p).orElse(""), "rewrite the record to match the"
              + " project entry (we ssot repair)")
              : Fix.manual("ssot", f.port().map(p -> "port " + p).orElse("ranges"),
                  f.kind().repairable() ? "we ssot repair --drop-unclaimed, if nothing uses it"
                      : "needs a person: fixing it moves a running app"));
      found.add(byRepair ? Repairable.of(d, () -> new PortOperations(context.ssot())
          .repair(RepairPolicy.defaults())) : Repairable.manual(d));
    }
  }

  /** Whether {@code we ssot repair} without {@code --drop-unclaimed} fixes the kind. */
  private static boolean rewrites(FindingKind kind) {
    return kind.repairable() && kind != FindingKind.ORPHAN_ALLOCATION
        && kind != FindingKind.STALE_ALLOCATION;
  }

  /** Each project and environment of the SSOT with its engine, live slot and route. */
  private List<ProjectView> views(Registry registry, Map<String, Route> routes,
      Map<Integer, DeployKey> owners, List<String> notes) {
    List<ProjectView> views = new ArrayList<>();
    for (ProjectEntry entry : registry.projects().values()) {
      for (Map.Entry<Environment, SlotPorts> e : entry.ports().entrySet()) {
        DeployKey key = new DeployKey(entry.name(), e.getKey());
        owners.putIfAbsent(e.getValue().blue(), key);
        owners.putIfAbsent(e.getValue().green(), key);
        Optional<ReleaseRecord> last = lastSwitch(key);
        views.add(new ProjectView(key, e.getValue(), engineOf(entry.name(), notes),
            last.map(ReleaseRecord::slot), last.map(ReleaseRecord::image),
            Optional.ofNullable(routes.get(SlotNames.route(key)))));
      }
    }
    return views;
  }

  private Optional<ReleaseRecord> lastSwitch(DeployKey key) {
    if (context.releases().isEmpty()) {
      return Optional.empty();
    }
    List<ReleaseRecord> history = context.releases().get().history(key);
    for (int i = history.size() - 1; i >= 0; i--) {
      if (SWITCHED.contains(history.get(i).outcome())) {
        return Optional.of(history.get(i));
      }
    }
    return Optional.empty();
  }

  /** The engine of the project's app server: the only app engine, else its placement's. */
  private Optional<ServerEngine> engineOf(ProjectName project, List<String> notes) {
    List<ServerEngine> apps = context.engines().stream().filter(e -> e.has(Role.APP)).toList();
    if (apps.size() == 1) {
      return Optional.of(apps.get(0));
    }
    try {
      String server = context.topology().appServerOf(project.value()).name();
      return apps.stream().filter(e -> e.server().equals(server)).findFirst();
    } catch (NotFoundException e) {
      if (!apps.isEmpty()) {
        notes.add("containers of " + project + " not compared: " + e.getMessage());
      }
      return Optional.empty();
    }
  }

  /** The SSOT's database services against the storage servers' containers. */
  private void databases(Registry registry, Map<ServerEngine, List<ContainerInfo>> containers,
      List<Repairable> found, List<String> notes) {
    List<ServicePort> services = ServiceEntries.all(registry);
    List<ServerEngine> storage = context.engines().stream().filter(e -> e.has(Role.STORAGE))
        .toList();
    if (storage.isEmpty()) {
      if (!services.isEmpty()) {
        notes.add("databases not compared: no storage server's engine (engines.runtime of a"
            + " server with roles: [storage] in the config file)");
      }
      return;
    }
    Map<ServerEngine, List<ContainerInfo>> read = new LinkedHashMap<>();
    storage.stream().filter(containers::containsKey).forEach(e -> read.put(e, containers.get(e)));
    if (read.size() < storage.size()) {
      return; // an engine was not read: its failure is reported, and nothing is guessed
    }
    found.addAll(new DatabaseChecks(storage, services).check(read));
  }

  private void firewall(Registry registry, Map<ServerEngine, List<ContainerInfo>> containers,
      List<Repairable> found, List<String> notes, List<String> failures) {
    List<Server> grouped = context.topology().servers().stream()
        .filter(s -> s.firewallGroup().isPresent()).toList();
    if (context.firewall().isEmpty()) {
      if (!grouped.isEmpty()) {
        notes.add("firewall groups not compared: no firewall provider given");
      }
      return;
    }
    FirewallChecks checks = new FirewallChecks(context.firewall().get(), context.topology());
    for (Server s : grouped) {
      Optional<ServerEngine> engine = containers.keySet().stream()
          .filter(e -> e.server().equals(s.name())).findFirst();
      Set<Integer> ssotPorts = new TreeSet<>();
      if (s.has(Role.APP)) {
        for (ProjectEntry p : registry.projects().values()) {
          if (placedOn(p.name(), s)) {
            p.ports().values().forEach(sp -> {
              ssotPorts.add(sp.blue());
              ssotPorts.add(sp.green());
            });
          }
        }
      }
      List<ContainerInfo> list = engine.map(containers::get).orElse(List.of());
      read("firewall group of " + s.name(), failures,
          () -> checks.check(s, engine, list, ssotPorts, notes)).ifPresent(found::addAll);
    }
  }

  private boolean placedOn(ProjectName project, Server server) {
    try {
      return context.topology().appServersOf(project.value()).stream()
          .anyMatch(s -> s.name().equals(server.name()));
    } catch (NotFoundException e) {
      return false;
    }
  }

  private static boolean belongs(ContainerInfo c, DeployKey key) {
    return key.project().value().equals(c.labels().get(SlotNames.PROJECT))
        && key.environment().name().equals(c.labels().get(SlotNames.ENV));
  }

  /** Runs a read; a failure becomes a line of {@code failures} instead of ending the check. */
  private static <T> Optional<T> read(String what, List<String> failures,
      java.util.function.Supplier<T> reader) {
    try {
      return Optional.ofNullable(reader.get());
    } catch (RuntimeException e) {
      failures.add(what + " not read: " + (e.getMessage() == null
          ? e.getClass().getSimpleName() : e.getMessage()));
      return Optional.empty();
    }
  }
}
