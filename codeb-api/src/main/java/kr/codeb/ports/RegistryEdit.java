package kr.codeb.ports;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import kr.codeb.Checks;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.model.Slot;
import kr.codeb.ports.internal.RegistryChecker;
import kr.codeb.ports.internal.RegistryRepairer;
import kr.codeb.ports.internal.ServiceEntries;

/**
 * A change to the port registry written as data, so that a store can apply it on behalf of its
 * caller: also in another process, combined with other callers' edits into one write (the file
 * store's group commit, see {@link SsotStore#apply}). The edits are the registry's only writes:
 * {@link Allocate}, {@link Release}, {@link Repair}, {@link SetRange}, {@link ClaimServicePort}
 * and {@link ReleaseServicePort}.
 *
 * <p>{@link #apply} is a pure function of the registry it is given: no I/O, no clock, no
 * randomness; the same registry gives the same result. An edit that cannot be applied throws a
 * {@link CodeBException} and changes nothing.
 *
 * <p>Every edit is idempotent: applied to the registry it produced, it returns it unchanged
 * with the "nothing to do" outcome ({@code created == false}, {@code false}, a report without
 * changes). That is what makes
 * it safe for a store to apply an edit again when it cannot tell whether it was applied.
 *
 * @param <T> what applying the edit tells its caller
 */
public sealed interface RegistryEdit<T> 
    permits RegistryEdit.Allocate, RegistryEdit.Release, RegistryEdit.Repair,
    RegistryEdit.SetRange, RegistryEdit.ClaimServicePort, RegistryEdit.ReleaseServicePort,
    RegistryEdit.Place {

  /**
   * The registry after this edit and the edit's outcome. The registry keeps the revision of the
   * one given (a store replaces it when it writes); when nothing changes it is the one given.
   *
   * @throws InvalidRequestException if the registry does not define the environment, or it is
   *     {@code system}
   * @throws ConflictException if an allocation finds no free pair in the environment's range
   */
  Applied<T> apply(Registry registry);

  /** What {@link #apply} returns: the new registry and the edit's outcome. */
  record Applied<T>(Registry registry, T outcome) {
    public Applied {
      Objects.requireNonNull(registry, "registry");
      Objects.requireNonNull(outcome, "outcome");
    }
  }

  /**
   * The project's ports in the environment. If it holds ports there already, they are the
   * outcome ({@code created == false}) and the registry is unchanged. Otherwise the lowest free
   * consecutive pair (blue, then green = blue + 1) inside the environment's range is taken,
   * skipping every port the registry mentions anywhere and every port in {@code portsInUse};
   * the project entry and the two {@code ports.allocated} records (with the environment) are
   * added, and the outcome has {@code created == true}.
   *
   * @param portsInUse host ports in use outside the SSOT (published on an engine), each 1-65535;
   *     kept as an unmodifiable, sorted copy
   */
  record Allocate(ProjectName project, Environment environment, Set<Integer> portsInUse)
      implements RegistryEdit<ProjectPorts> {

    public Allocate {
      Objects.requireNonNull(project, "project");
      Objects.requireNonNull(environment, "environment");
      portsInUse = checkedPorts(portsInUse);
    }

    static Set<Integer> checkedPorts(Set<Integer> portsInUse) {
      Objects.requireNonNull(portsInUse, "portsInUse");
      TreeSet<Integer> sorted = new TreeSet<>();
      for (Integer port : portsInUse) {
        if (port == null) {
          throw new InvalidRequestException("portsInUse holds a null port; give port numbers");
        }
        sorted.add(Checks.port("port in use", port));
      }
      return Collections.unmodifiableSortedSet(sorted);
    }

    /** An allocation that only avoids the ports the registry knows. */
    public static Allocate of(ProjectName project, Environment environment) {
      return new Allocate(project, environment, Set.of());
    }

    @Override
    public Applied<ProjectPorts> apply(Registry registry) {
      Objects.requireNonNull(registry, "registry");
      PortRange range = PortOperations.requireProjectEnvironment(registry, environment);
      Optional<SlotPorts> held = registry.ports(project, environment);
      if (held.isPresent()) {
        return new Applied<>(registry, new ProjectPorts(project, environment, held.get(), false));
      }
      SlotPorts ports = freePair(registry, range);
      ProjectEntry entry = registry.project(project).orElse(ProjectEntry.of(project));
      Registry after = registry.withProject(entry.withPorts(environment, ports))
          .withAllocation(Allocation.of(ports.blue(), project, Slot.BLUE, environment))
          .withAllocation(Allocation.of(ports.green(), project, Slot.GREEN, environment));
      return new Applied<>(after, new ProjectPorts(project, environment, ports, true));
    }

    private SlotPorts freePair(Registry registry, PortRange range) {
      Set<Integer> taken = new TreeSet<>(registry.mentionedPorts());
      taken.addAll(portsInUse);
      for (int blue = range.start(); blue < range.end(); blue++) {
        if (!taken.contains(blue) && !taken.contains(blue + 1)) {
          return new SlotPorts(blue, blue + 1);
        }
      }
      throw new ConflictException("no free pair of consecutive ports left in the " + environment
          + " range " + range + " (" + taken.stream().filter(range::contains).count()
          + " of its " + range.size() + " ports are taken)");
    }
  }

  /**
   * Gives the project's ports in the environment back: removes them from the project entry and
   * removes the {@code ports.allocated} records that name this project for them (records of
   * other projects are left alone). The entry itself goes when nothing is left in it (no ports,
   * no unknown fields). The outcome is whether anything was held; when nothing was, the
   * registry is unchanged.
   */
  record Release(ProjectName project, Environment environment) implements RegistryEdit<Boolean> {

    public Release {
      Objects.requireNonNull(project, "project");
      Objects.requireNonNull(environment, "environment");
    }

    @Override
    public Applied<Boolean> apply(Registry registry) {
      Objects.requireNonNull(registry, "registry");
      PortOperations.requireProjectEnvironment(registry, environment);
      Optional<SlotPorts> held = registry.ports(project, environment);
      if (held.isEmpty()) {
        return new Applied<>(registry, false);
      }
      ProjectEntry remaining = registry.project(project).orElseThrow().withoutPorts(environment);
      Registry after = remaining.ports().isEmpty() && remaining.extensions().isEmpty()
          ? registry.withoutProject(project) : registry.withProject(remaining);
      for (int port : List.of(held.get().blue(), held.get().green())) {
        if (after.allocation(port).filter(a -> a.project().equals(project)).isPresent()) {
          after = after.withoutAllocation(port);
        }
      }
      return new Applied<>(after, true);
    }
  }

  /**
   * Fixes the records of {@code ports.allocated} that the project entries contradict or miss,
   * under the rules of {@link RepairPolicy}: rewritten to match the entries, missing ones
   * added, unclaimed ones removed only with {@code dropUnclaimed}; ranges and ports a person
   * must decide about are never changed. The outcome reports each change with the record it
   * replaced and the findings left; it is {@code written} when it changed anything. Applied
   * again to its result, it finds nothing to change.
   */
  record Repair(boolean dropUnclaimed) implements RegistryEdit<RepairReport> {

    /** The repair the policy describes (its {@code dryRun} is the caller's concern). */
    public static Repair of(RepairPolicy policy) {
      return new Repair(policy.dropUnclaimed());
    }

    @Override
    public Applied<RepairReport> apply(Registry registry) {
      Objects.requireNonNull(registry, "registry");
      List<PortChange> changes =
          RegistryRepairer.changes(registry, new RepairPolicy(dropUnclaimed, false));
      Registry after = RegistryRepairer.apply(registry, changes);
      return new Applied<>(after,
          new RepairReport(changes, RegistryChecker.check(after), !changes.isEmpty()));
    }
  }

  /**
   * Sets the named range of {@code portRanges} (a new name is appended, an existing one
   * replaced). The outcome is whether anything changed; setting the range a name already has
   * changes nothing.
   *
   * @throws InvalidRequestException if the range overlaps another name's range (naming it), or
   *     if a port held in this environment (a slot pair, a storage service) would fall outside
   */
  record SetRange(Environment name, PortRange range) implements RegistryEdit<Boolean> {
    public SetRange {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(range, "range");
    }

    @Override
    public Applied<Boolean> apply(Registry registry) {
      Objects.requireNonNull(registry, "registry");
      if (registry.range(name).filter(range::equals).isPresent()) {
        return new Applied<>(registry, false);
      }
      registry.portRanges().forEach((other, r) -> {
        if (!other.equals(name) && r.overlaps(range)) {
          throw new InvalidRequestException("range " + name + " " + range + " overlaps range "
              + other + " " + r + ": ranges must not share a port; choose ports outside "
              + r);
        }
      });
      List<Integer> outside = new java.util.ArrayList<>();
      registry.projects().values().forEach(p -> p.ports(name).ifPresent(sp -> {
        if (!range.contains(sp.blue()) || !range.contains(sp.green())) {
          outside.add(sp.blue());
        }
      }));
      ServiceEntries.all(registry).stream().map(ServicePort::port)
          .filter(port -> registry.range(name).map(r -> r.contains(port)).orElse(false))
          .filter(port -> !range.contains(port)).forEach(outside::add);
      if (!outside.isEmpty()) {
        throw new InvalidRequestException("range " + name + " " + range + " would leave held"
            + " ports outside it: " + outside + "; include them or release them first");
      }
      return new Applied<>(registry.withRange(name, range), true);
    }
  }

  /**
   * The port of the project's storage {@code service} in the environment, taken from the
   * range named {@code range} (for example {@code storage}). If the project holds one already,
   * it is the outcome ({@code created == false}) and the registry is unchanged. Otherwise the
   * lowest port of the range that the registry does not mention anywhere (slot ports,
   * allocation records, other service ports) and that is not in {@code portsInUse} is recorded
   * in the project's entry under {@code services.<environment>.<service>.port}.
   *
   * @param portsInUse ports in use on the storage server outside the SSOT (held by containers
   *     of its engine), each 1-65535; kept as an unmodifiable, sorted copy
   *
   * @throws InvalidRequestException if the registry has no such range (the message says how to
   *     add one) or no entry for the project
   * @throws ConflictException if the range has no free port left
   */
  record ClaimServicePort(ProjectName project, Environment environment, String service,
      Environment range, Set<Integer> portsInUse) implements RegistryEdit<ServicePort> {
    public ClaimServicePort {
      Objects.requireNonNull(project, "project");
      Objects.requireNonNull(environment, "environment");
      Checks.label("service name", service, "postgres");
      Objects.requireNonNull(range, "range");
      portsInUse = Allocate.checkedPorts(portsInUse);
    }

    /** A claim that only avoids the ports the registry knows. */
    public ClaimServicePort(ProjectName project, Environment environment, String service,
        Environment range) {
      this(project, environment, service, range, Set.of());
    }

    @Override
    public Applied<ServicePort> apply(Registry registry) {
      Objects.requireNonNull(registry, "registry");
      PortRange ports = registry.range(range).orElseThrow(() -> new InvalidRequestException(
          "the SSOT has no '" + range + "' range in portRanges for storage services; add one"
              + " with: we ssot range set " + range + " START-END (e.g. 5432-5531)"));
      ProjectEntry entry = registry.project(project).orElseThrow(() ->
          new InvalidRequestException("project " + project + " is not in the SSOT; create it"
              + " first (we ssot allocate " + project + " --env " + environment + ")"));
      Optional<ServicePort> held =
          ServiceEntries.find(registry, project, environment, service);
      if (held.isPresent()) {
        return new Applied<>(registry, held.get());
      }
      Set<Integer> taken = new TreeSet<>(registry.mentionedPorts());
      ServiceEntries.all(registry).forEach(s -> taken.add(s.port()));
      taken.addAll(portsInUse);
      for (int port = ports.start(); port <= ports.end(); port++) {
        if (!taken.contains(port)) {
          Registry after = registry.withProject(
              ServiceEntries.with(entry, environment, service, port));
          return new Applied<>(after, new ServicePort(project, environment, service, port, true));
        }
      }
      throw new ConflictException("no free port left in the " + range + " range " + ports);
    }
  }

  /**
   * Gives the port of the project's storage service in the environment back. The outcome is
   * whether one was held; when none was, the registry is unchanged.
   */
  record ReleaseServicePort(ProjectName project, Environment environment, String service)
      implements RegistryEdit<Boolean> {
    public ReleaseServicePort {
      Objects.requireNonNull(project, "project");
      Objects.requireNonNull(environment, "environment");
      Checks.label("service name", service, "postgres");
    }

    @Override
    public Applied<Boolean> apply(Registry registry) {
      Objects.requireNonNull(registry, "registry");
      if (ServiceEntries.find(registry, project, environment, service).isEmpty()) {
        return new Applied<>(registry, false);
      }
      ProjectEntry entry = registry.project(project).orElseThrow();
      return new Applied<>(registry.withProject(
          ServiceEntries.without(entry, environment, service)), true);
    }
  }

  /**
   * Records the app servers the project runs on in the environment ({@code
   * projects.<name>.placement.<env>}; see {@link ProjectEntry#placement}). The outcome is
   * whether it changed; the same placement again leaves the registry unchanged.
   *
   * @throws InvalidRequestException if the project has no entry, or a server name is not a
   *     label or is listed twice
   */
  record Place(ProjectName project, Environment environment, List<String> servers)
      implements RegistryEdit<Boolean> {
    public Place {
      Objects.requireNonNull(project, "project");
      Objects.requireNonNull(environment, "environment");
      servers = List.copyOf(servers);
      if (servers.isEmpty()) {
        throw new InvalidRequestException("a placement names at least one app server");
      }
      servers.forEach(s -> Checks.label("server name", s, "app1"));
      if (new java.util.HashSet<>(servers).size() != servers.size()) {
        throw new InvalidRequestException("placement " + servers + " names a server twice");
      }
    }

    @Override
    public Applied<Boolean> apply(Registry registry) {
      Objects.requireNonNull(registry, "registry");
      ProjectEntry entry = registry.project(project).orElseThrow(() ->
          new InvalidRequestException("project " + project + " is not in the SSOT; allocate"
              + " its ports first (we ssot allocate " + project + " --env " + environment + ")"));
      if (entry.placement(environment).equals(servers)) {
        return new Applied<>(registry, false);
      }
      return new Applied<>(registry.withProject(entry.withPlacement(environment, servers)), true);
    }
  }
}
