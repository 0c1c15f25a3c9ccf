package kr.codeb.doctor.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.deploy.DeployKey;
import kr.codeb.doctor.Drift;
import kr.codeb.doctor.DriftKind;
import kr.codeb.doctor.Fix;
import kr.codeb.doctor.ServerEngine;
import kr.codeb.internal.SlotNames;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.model.Slot;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.PortBinding;

/**
 * The containers of one server's engine against the SSOT: the live slot of each project placed
 * there runs; every running CodeB-labelled container belongs to an SSOT entry; no running
 * container publishes a port the SSOT gives to another project. Fixes only start and stop
 * containers: nothing is ever removed, so no volume or data goes with them.
 */
public final class ContainerChecks {
  /** How long a stopped container's process gets to end. */
  static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final ServerEngine engine;
  private final List<ProjectView> projects;
  private final Map<Integer, DeployKey> owners;

  /**
   * @param projects the SSOT's projects placed on this engine's server
   * @param owners every port of the SSOT's project entries, by the project owning it
   */
  public ContainerChecks(ServerEngine engine, List<ProjectView> projects,
      Map<Integer, DeployKey> owners) {
    this.engine = engine;
    this.projects = List.copyOf(projects);
    this.owners = Map.copyOf(owners);
  }

  /** @param all every container of the engine, running or not */
  public List<Repairable> check(List<ContainerInfo> all) {
    List<Repairable> found = new ArrayList<>();
    for (ProjectView p : projects) {
      p.live().ifPresent(live -> liveSlot(p, live, all, found));
    }
    for (ContainerInfo c : all) {
      // A database on an app server that is also the storage server: DatabaseChecks' part.
      if (c.isRunning() && !DatabaseChecks.isDatabase(c)) {
        foreign(c, found);
      }
    }
    return found;
  }

  private void liveSlot(ProjectView p, Slot live, List<ContainerInfo> all, List<Repairable> found) {
    String name = SlotNames.container(p.key(), live).value();
    Optional<ContainerInfo> c = all.stream().filter(i -> name.equals(i.name())).findFirst();
    if (c.isPresent() && c.get().isRunning()) {
      return;
    }
    String subject = p.describe();
    String expected = live.id() + " slot live on port " + p.ports().port(live) + ": container "
        + name + " running";
    if (c.isPresent()) {
      ContainerInfo info = c.get();
      found.add(Repairable.of(new Drift(DriftKind.CONTAINER_MISSING, subject, expected,
          name + " is " + info.state().name().toLowerCase(java.util.Locale.ROOT)
              + info.exitCode().map(x -> " (exit code " + x + ")").orElse(""),
          new Fix(Fix.Action.UPDATE, "container", where(name), "start it")),
          () -> engine.runtime().start(info.id())));
    } else {
      found.add(Repairable.manual(new Drift(DriftKind.CONTAINER_MISSING, subject, expected,
          "no container " + name, Fix.manual("container", where(name), "deploy it again: we"
              + " deploy " + p.key().project() + " --env " + p.key().environment()
              + p.lastImage().map(i -> " --image " + i).orElse(" --image IMAGE")))));
    }
  }

  /** A running container on a port of another project, or labelled for no SSOT entry. */
  private void foreign(ContainerInfo c, List<Repairable> found) {
    Optional<DeployKey> labelled = labelledKey(c);
    String name = c.name() == null ? c.id().value() : c.name();
    for (PortBinding b : c.ports()) {
      DeployKey owner = owners.get(b.hostPort());
      if (owner != null && !labelled.filter(owner::equals).isPresent()) {
        String actual = name + " publishes " + b.hostPort() + labelled.map(k -> " (labelled "
            + k.project() + " " + k.environment() + ")").orElse(" (not CodeB's)");
        Drift d = new Drift(DriftKind.PORT_TAKEN, "port " + b.hostPort() + " on " + engine.server(),
            "port " + b.hostPort() + " belongs to " + owner.project() + " " + owner.environment(),
            actual, labelled.isPresent() ? stopFix(name)
                : Fix.manual("container", where(name), "not made by CodeB: stop or move it by"
                    + " hand"));
        found.add(labelled.isPresent() ? Repairable.of(d, stop(c)) : Repairable.manual(d));
        return;
      }
    }
    if (c.labels().containsKey(SlotNames.PROJECT)
        && (labelled.isEmpty() || !ownsItsPorts(labelled.get(), c))) {
      String label = c.labels().get(SlotNames.PROJECT) + " "
          + c.labels().getOrDefault(SlotNames.ENV, "(no env)");
      found.add(Repairable.of(new Drift(DriftKind.CONTAINER_UNOWNED, "container " + name + " on "
          + engine.server(), "no SSOT entry for " + label + (labelled.isPresent()
              ? " on ports " + c.ports().stream().map(PortBinding::hostPort).toList() : ""),
          name + " running, labelled " + label, stopFix(name)), stop(c)));
    }
  }

  /** Whether the SSOT has the key, and every port the container publishes is the key's. */
  private boolean ownsItsPorts(DeployKey key, ContainerInfo c) {
    boolean known = owners.containsValue(key);
    return known && c.ports().stream().allMatch(b -> key.equals(owners.get(b.hostPort())));
  }

  private Optional<DeployKey> labelledKey(ContainerInfo c) {
    String project = c.labels().get(SlotNames.PROJECT);
    String env = c.labels().get(SlotNames.ENV);
    if (project == null || env == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new DeployKey(ProjectName.of(project), Environment.of(env)));
    } catch (RuntimeException e) {
      return Optional.empty(); // labels that are no valid names belong to no SSOT entry
    }
  }

  private Fix stopFix(String name) {
    return new Fix(Fix.Action.UPDATE, "container", where(name),
        "stop it (kept, with its volumes, for a person to remove)");
  }

  private Runnable stop(ContainerInfo c) {
    return () -> engine.runtime().stop(c.id(), STOP_GRACE);
  }

  private String where(String name) {
    return name + " on " + engine.server();
  }
}
