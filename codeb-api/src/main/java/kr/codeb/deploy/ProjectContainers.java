package kr.codeb.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import kr.codeb.ConflictException;
import kr.codeb.NotFoundException;
import kr.codeb.deploy.internal.LiveLogReader;
import kr.codeb.internal.SlotNames;
import kr.codeb.model.Slot;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ExecIo;
import kr.codeb.runtime.ExecRequest;
import kr.codeb.runtime.LogQuery;
import kr.codeb.runtime.LogReader;

/**
 * A project's running containers for day-2 work: their logs as a stream and commands run in
 * them, on whichever server the context's runtime is. A slot is named, or the live one (the
 * slot the proxy routes to) is meant.
 */
public final class ProjectContainers {
  /** How often a live follow checks whether traffic moved to the other slot. */
  public static final Duration SWITCH_POLL = Duration.ofSeconds(1);

  private final DeployContext ctx;
  private final Deployments deployments;

  public ProjectContainers(DeployContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.deployments = new Deployments(ctx);
  }

  /** The container of {@code slot} (the live slot when empty), which must exist. */
  public Target target(DeployKey key, Optional<Slot> slot) {
    return resolve(deployments.status(key), key, slot);
  }

  /**
   * The container of {@code process} in {@code slot} (the live slot when empty): {@code web}
   * or empty for the web container, {@code NAME} for the first of a worker's containers,
   * {@code NAME-N} for its N-th.
   *
   * @throws NotFoundException if the slot has no such container (the message lists the ones
   *     it has)
   */
  public Target target(DeployKey key, Optional<Slot> slot, Optional<String> process) {
    if (process.isEmpty() || process.get().equals(ProcessSpec.WEB)) {
      return target(key, slot);
    }
    SlotReport report = deployments.status(key);
    Target web = resolve(report, key, slot);
    String wanted = process.get().matches(".*-[0-9]+") ? process.get() : process.get() + "-1";
    List<ContainerInfo> workers = report.slot(web.slot()).workers();
    return workers.stream()
        .filter(c -> (c.labels().get(SlotNames.PROCESS) + "-"
            + c.labels().get(SlotNames.PROCESS_INDEX)).equals(wanted))
        .findFirst().map(c -> new Target(web.slot(), c, web.live()))
        .orElseThrow(() -> new NotFoundException(key + " has no process " + wanted + " in the "
            + web.slot() + " slot; it has: web" + workers.stream().map(c -> ", "
                + c.labels().get(SlotNames.PROCESS) + "-" + c.labels().get(SlotNames.PROCESS_INDEX))
                .collect(Collectors.joining())));
  }

  private static Target resolve(SlotReport report, DeployKey key, Optional<Slot> slot) {
    Slot chosen = slot.or(report::live).orElseThrow(() -> new NotFoundException(key
        + " has no live slot (nothing deployed, or the proxy has no route for it): name a slot"
        + " with blue or green"));
    SlotState state = report.slot(chosen);
    ContainerInfo c = state.container().orElseThrow(() -> new NotFoundException(key
        + " has no container in the " + chosen + " slot"));
    return new Target(chosen, c, state.live());
  }

  /**
   * The logs of the slot's container. Following the live slot ({@code slot} empty) survives a
   * switch: when traffic moves to the other slot, the reader says so through {@code notes}
   * (with the slot it follows now) and goes on with the new live container's lines written
   * since the follow began.
   *
   * @throws NotFoundException if the slot (or, for the live slot, the project) has no container
   */
  public LogReader logs(DeployKey key, Optional<Slot> slot, LogQuery query,
      Consumer<FollowNote> notes) {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(notes, "notes");
    Target first = target(key, slot);
    LogReader reader = ctx.runtime().readLogs(first.container().id(), query);
    if (!query.follow() || slot.isPresent()) {
      return reader;
    }
    Instant started = Instant.now();
    return new LiveLogReader(reader, first.slot(), first.container().id(), SWITCH_POLL,
        () -> {
          SlotReport report = deployments.status(key);
          return report.live().flatMap(live -> report.slot(live).container()
              .filter(ContainerInfo::isRunning)
              .map(c -> new LiveLogReader.Live(live, c.id())));
        },
        live -> ctx.runtime().readLogs(live.container(),
            new LogQuery(java.util.OptionalInt.empty(), Optional.of(started), true)),
        (following, message) -> notes.accept(new FollowNote(following, message)));
  }

  /**
   * The logs of {@code process} (see {@link #target(DeployKey, Optional, Optional)}); a worker's
   * follow ends when its container stops (it does not move with a switch).
   */
  public LogReader logs(DeployKey key, Optional<Slot> slot, Optional<String> process,
      LogQuery query, Consumer<FollowNote> notes) {
    if (process.isEmpty() || process.get().equals(ProcessSpec.WEB)) {
      return logs(key, slot, query, notes);
    }
    Objects.requireNonNull(query, "query");
    return ctx.runtime().readLogs(target(key, slot, process).container().id(), query);
  }

  /** {@link #exec(DeployKey, Optional, ExecRequest, ExecIo)} in {@code process}'s container. */
  public int exec(DeployKey key, Optional<Slot> slot, Optional<String> process,
      ExecRequest request, ExecIo io) {
    return ctx.runtime().exec(target(key, slot, process).container().id(), request, io);
  }

  /**
   * Runs a command in the slot's running container and returns its exit code (see
   * {@code ContainerRuntime.exec}).
   *
   * @throws NotFoundException if the slot has no container
   * @throws ConflictException if its container is not running
   */
  public int exec(DeployKey key, Optional<Slot> slot, ExecRequest request, ExecIo io) {
    Target t = target(key, slot);
    return ctx.runtime().exec(t.container().id(), request, io);
  }

  /**
   * What a live follow tells its caller: a switch (with the slot followed from now on) or its
   * end (empty slot).
   */
  public record FollowNote(Optional<Slot> following, String message) {
    public FollowNote {
      Objects.requireNonNull(following, "following");
      Objects.requireNonNull(message, "message");
    }
  }

  /** The container a verb works on: its slot, and whether traffic goes to it. */
  public record Target(Slot slot, ContainerInfo container, boolean live) {
    public Target {
      Objects.requireNonNull(slot, "slot");
      Objects.requireNonNull(container, "container");
    }
  }
}
