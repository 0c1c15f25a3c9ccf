package kr.codeb.ports;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.Checks;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.internal.RegistryChecker;

/**
 * The port registry's operations over any {@link SsotStore}: allocate, release, look up, check
 * and repair. Ranges always come from the SSOT; nothing here knows a port number.
 *
 * <p>Allocation, release and repair are {@link RegistryEdit}s applied with
 * {@link SsotStore#apply}: each sees the stored registry under the store's atomicity, so concurrent callers, also in other processes sharing a file
 * store, never receive the same port.
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
   * {@code ports.allocated} records (with the environment) are written in one edit
   * ({@link RegistryEdit.Allocate}).
   *
   * @throws InvalidRequestException if the SSOT does not define the environment, or it is
   *     {@code system}
   * @throws ConflictException if the range has no free pair left
   */
  public ProjectPorts allocate(ProjectName project, Environment env) {
    if (probe == PortProbe.NONE) {
      // The edit checks the environment and returns held ports unchanged itself: a read first
      // would only decode the registry once more (a whole file, for a file store).
      return store.apply(RegistryEdit.Allocate.of(project, env));
    }
    Registry first = store.read();
    requireProjectEnvironment(first, env);
    Optional<SlotPorts> alreadyHeld = first.ports(project, env);
    if (alreadyHeld.isPresent()) {
      // Every deploy after the first lands here: no engine-wide probe, no write.
      return new ProjectPorts(project, env, alreadyHeld.get(), false);
    }
    return store.apply(new RegistryEdit.Allocate(project, env, probe.portsInUse()));
  }

  /**
   * Gives the project's ports in the environment back: removes them from the project entry and
   * removes the {@code ports.allocated} records that name this project for them (records of
   * other projects are left alone). The entry itself goes when nothing is left in it.
   * Idempotent.
   *
   * @return whether anything was held (see {@link SsotStore#apply} for the one case where a
   *     release that did happen reports {@code false})
   * @throws InvalidRequestException if the SSOT does not define the environment, or it is
   *     {@code system}
   */
  public boolean release(ProjectName project, Environment env) {
    return store.apply(new RegistryEdit.Release(project, env));
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
    RegistryEdit.Repair repair = RegistryEdit.Repair.of(policy);
    if (policy.dryRun()) {
      RepairReport wouldBe = repair.apply(store.read()).outcome();
      return new RepairReport(wouldBe.changes(), wouldBe.remaining(), false);
    }
    return store.apply(repair);
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
}
