package kr.codeb.doctor.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kr.codeb.doctor.Drift;
import kr.codeb.doctor.DriftKind;
import kr.codeb.doctor.Fix;
import kr.codeb.doctor.ServerEngine;
import kr.codeb.internal.SlotNames;
import kr.codeb.ports.ServicePort;
import kr.codeb.runtime.ContainerInfo;

/**
 * The projects' databases on the storage servers against the SSOT's
 * {@code services.<env>.<service>.port}: each service runs as the container
 * {@code <project>-<env>-<service>} (as {@code we db} makes it), and every running container
 * labelled {@code codeb.role=database} belongs to a service of the SSOT. Fixes only start and
 * stop containers: a container and its data volume are never removed, and a missing container
 * is for {@code we db create} (it holds the credentials), not for the doctor.
 */
public final class DatabaseChecks {
  static final String ROLE_LABEL = "codeb.role";
  static final String ROLE = "database";
  static final String KIND_LABEL = "codeb.kind";
  static final String PORT_LABEL = "codeb.port";

  private final List<ServerEngine> engines;
  private final List<ServicePort> services;

  /**
   * @param engines the storage servers' engines
   * @param services every service port of the SSOT
   */
  public DatabaseChecks(List<ServerEngine> engines, List<ServicePort> services) {
    this.engines = List.copyOf(engines);
    this.services = List.copyOf(services);
  }

  /** Whether a container is one of CodeB's databases (app checks leave them alone). */
  public static boolean isDatabase(ContainerInfo c) {
    return ROLE.equals(c.labels().get(ROLE_LABEL));
  }

  /** @param containers every container of each storage engine, running or not */
  public List<Repairable> check(Map<ServerEngine, List<ContainerInfo>> containers) {
    List<Repairable> found = new ArrayList<>();
    Set<String> expected = new HashSet<>();
    for (ServicePort s : services) {
      String name = name(s);
      expected.add(name);
      missing(s, name, containers, found);
    }
    containers.forEach((engine, list) -> {
      for (ContainerInfo c : list) {
        if (c.isRunning() && isDatabase(c) && !expected.contains(labelled(c))) {
          found.add(unowned(engine, c));
        }
      }
    });
    return found;
  }

  private void missing(ServicePort s, String name, Map<ServerEngine, List<ContainerInfo>> all,
      List<Repairable> found) {
    String subject = s.project() + " " + s.environment() + " " + s.service();
    String expected = "container " + name + " running on port " + s.port();
    for (Map.Entry<ServerEngine, List<ContainerInfo>> e : all.entrySet()) {
      Optional<ContainerInfo> c = e.getValue().stream().filter(i -> name.equals(i.name()))
          .findFirst();
      if (c.isEmpty()) {
        continue;
      }
      if (c.get().isRunning()) {
        return;
      }
      ContainerInfo info = c.get();
      ServerEngine engine = e.getKey();
      found.add(Repairable.of(new Drift(DriftKind.DATABASE_MISSING, subject, expected,
          name + " is " + info.state().name().toLowerCase(Locale.ROOT)
              + info.exitCode().map(x -> " (exit code " + x + ")").orElse(""),
          new Fix(Fix.Action.UPDATE, "container", name + " on " + engine.server(),
              "start it (its data volume is kept)")), () -> engine.runtime().start(info.id())));
      return;
    }
    String where = engines.isEmpty() ? "the storage server"
        : String.join(", ", engines.stream().map(ServerEngine::server).toList());
    found.add(Repairable.manual(new Drift(DriftKind.DATABASE_MISSING, subject, expected,
        "no container " + name + " on " + where, Fix.manual("container", name,
            "create it again: we db create " + s.project() + " --env " + s.environment()
                + " --kind " + s.service() + " (its data volume, if any, is reused)"))));
  }

  private static Repairable unowned(ServerEngine engine, ContainerInfo c) {
    String name = c.name() == null ? c.id().value() : c.name();
    String label = c.labels().getOrDefault(SlotNames.PROJECT, "(no project)") + " "
        + c.labels().getOrDefault(SlotNames.ENV, "(no env)") + " "
        + c.labels().getOrDefault(KIND_LABEL, "(no kind)");
    return Repairable.of(new Drift(DriftKind.DATABASE_UNOWNED, "database " + name + " on "
        + engine.server(), "no SSOT service for " + label, name + " running, labelled " + label
        + Optional.ofNullable(c.labels().get(PORT_LABEL)).map(p -> " on port " + p).orElse(""),
        new Fix(Fix.Action.UPDATE, "container", name + " on " + engine.server(),
            "stop it (kept, with its data volume, for a person to remove)")),
        () -> engine.runtime().stop(c.id(), ContainerChecks.STOP_GRACE));
  }

  private static String name(ServicePort s) {
    return s.project().value() + "-" + s.environment().name() + "-" + s.service();
  }

  /** The service container name the labels claim, or null when they claim none. */
  private static String labelled(ContainerInfo c) {
    String project = c.labels().get(SlotNames.PROJECT);
    String env = c.labels().get(SlotNames.ENV);
    String kind = c.labels().get(KIND_LABEL);
    return project == null || env == null || kind == null ? null
        : project + "-" + env + "-" + kind;
  }
}
