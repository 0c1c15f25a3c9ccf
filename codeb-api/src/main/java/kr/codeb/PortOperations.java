package kr.codeb;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import kr.codeb.internal.Checks;
import kr.codeb.internal.RegistryChecker;
import kr.codeb.internal.RegistryRepairer;

/**
 * The port registry's operations over any {@link SsotStore}: allocate, release, look up, check
 * and repair. Ranges always come from the SSOT; nothing here knows a port number.
 *
 * <p>Every write goes through {@link SsotStore#modify}, so concurrent callers, also in other
 * processes sharing a file store, never receive the same port.
 */
public final class PortOperations {
  private final SsotStore store;
  private final PortProbe probe;

  public PortOperations(SsotStore store) {
    this(store, PortProbe.NONE);
  }

  /** With a probe that reports ports in use outside the SSOT (published on an engine). */
  public PortOperations(SsotStore store, PortProbe probe) {
    this.store = Objects.requireNonNull(store, "store");
    this.probe = Objects.requireNonNull(probe, "probe");
  }

  /**
   * The project's ports in the environment. If it holds ports there already they are returned
   * unchanged and nothing is written; otherwise the lowest free consecutive pair (blue, then
   * green = blue + 1) inside the environment's range is taken, skipping every port the SSOT
   * mentions anywhere and every port the probe reports. Both the project entry and the two
   * {@code ports.allocated} records (with the environment) are written in one update.
   *
   * @throws InvalidRequestException if the SSOT does not define the environment, or it is
   *     {@code system}
   * @throws ConflictException if the range has no free pair left
   */
  public ProjectPorts allocate(ProjectName project, Environment env) {
    Registry first = store.read();
    requireProjectEnvironment(first, env);
    Optional<SlotPorts> alreadyHeld = first.ports(project, env);
    if (alreadyHeld.isPresent()) {
      // Every deploy after the first lands here: no engine-wide probe, no lock.
      return new ProjectPorts(project, env, alreadyHeld.get(), false);
    }
    Set<Integer> inUse = probe.portsInUse();
    AtomicReference<ProjectPorts> result = new AtomicReference<>();
    store.modify(registry -> {
      Optional<SlotPorts> held = registry.ports(project, env);
      if (held.isPresent()) {
        result.set(new ProjectPorts(project, env, held.get(), false));
        return registry;
      }
      PortRange range = requireProjectEnvironment(registry, env);
      SlotPorts ports = freePair(registry, range, inUse, env);
      result.set(new ProjectPorts(project, env, ports, true));
      ProjectEntry entry = registry.project(project).orElse(ProjectEntry.of(project));
      return registry.withProject(entry.withPorts(env, ports))
          .withAllocation(Allocation.of(ports.blue(), project, Slot.BLUE, env))
          .withAllocation(Allocation.of(ports.green(), project, Slot.GREEN, env));
    });
    return result.get();
  }

  /**
   * Gives the project's ports in the environment back: removes them from the project entry and
   * removes the {@code ports.allocated} records that name this project for them (records of
   * other projects are left alone). The entry itself goes when nothing is left in it.
   * Idempotent.
   *
   * @return whether anything was held
   */
  public boolean release(ProjectName project, Environment env) {
    requireProjectEnvironment(store.read(), env);
    AtomicReference<Boolean> released = new AtomicReference<>(false);
    store.modify(registry -> {
      Optional<SlotPorts> held = registry.ports(project, env);
      released.set(held.isPresent());
      if (held.isEmpty()) {
        return registry;
      }
      ProjectEntry remaining = registry.project(project).orElseThrow().withoutPorts(env);
      Registry result = remaining.ports().isEmpty() && remaining.extensions().isEmpty()
          ? registry.withoutProject(project) : registry.withProject(remaining);
      for (int port : List.of(held.get().blue(), held.get().green())) {
        if (result.allocation(port).filter(a -> a.project().equals(project)).isPresent()) {
          result = result.withoutAllocation(port);
        }
      }
      return result;
    });
    return released.get();
  }

  /** The project's ports in the environment, if it holds any. */
  public Optional<ProjectPorts> ports(ProjectName project, Environment env) {
    return store.read().ports(project, env).map(p -> new ProjectPorts(project, env, p, false));
  }

  /** The inconsistencies of the stored registry; empty when it is consistent. */
  public List<Finding> check() {
    return RegistryChecker.check(store.read());
  }

  /** The inconsistencies of a registry snapshot. */
  public static List<Finding> check(Registry registry) {
    return RegistryChecker.check(registry);
  }

  /**
   * Fixes what the policy allows (see {@link RepairPolicy}) and reports each change with the
   * record it replaced. A dry run writes nothing.
   */
  public RepairReport repair(RepairPolicy policy) {
    if (policy.dryRun()) {
      Registry current = store.read();
      List<PortChange> changes = RegistryRepairer.changes(current, policy);
      return new RepairReport(changes,
          RegistryChecker.check(RegistryRepairer.apply(current, changes)), false);
    }
    AtomicReference<List<PortChange>> changes = new AtomicReference<>(List.of());
    Registry written = store.modify(registry -> {
      changes.set(RegistryRepairer.changes(registry, policy));
      return RegistryRepairer.apply(registry, changes.get());
    });
    return new RepairReport(changes.get(), RegistryChecker.check(written),
        !changes.get().isEmpty());
  }

  /**
   * The environment's range, if projects may use it.
   *
   * @throws InvalidRequestException naming the environments that are defined
   */
  public static PortRange requireProjectEnvironment(Registry registry, Environment env) {
    if (env.isSystem()) {
      throw new InvalidRequestException("environment 'system' is reserved for infrastructure;"
          + " projects use: " + projectEnvironments(registry));
    }
    return registry.range(env).orElseThrow(() -> new InvalidRequestException("environment "
        + Checks.quote(env.name()) + " is not defined in the SSOT's portRanges; defined: "
        + projectEnvironments(registry)));
  }

  private static String projectEnvironments(Registry registry) {
    List<String> names = new ArrayList<>();
    registry.portRanges().keySet().stream().filter(e -> !e.isSystem())
        .forEach(e -> names.add(e.name()));
    return names.isEmpty() ? "(none)" : String.join(", ", names);
  }

  private static SlotPorts freePair(
      Registry registry, PortRange range, Set<Integer> inUse, Environment env) {
    Set<Integer> taken = new TreeSet<>(registry.mentionedPorts());
    taken.addAll(inUse);
    for (int blue = range.start(); blue < range.end(); blue++) {
      if (!taken.contains(blue) && !taken.contains(blue + 1)) {
        return new SlotPorts(blue, blue + 1);
      }
    }
    throw new ConflictException("no free pair of consecutive ports left in the " + env
        + " range " + range + " (" + taken.stream().filter(range::contains).count()
        + " of its " + range.size() + " ports are taken)");
  }
}
