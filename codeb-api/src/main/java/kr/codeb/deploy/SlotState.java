package kr.codeb.deploy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.model.Slot;
import kr.codeb.runtime.ContainerInfo;

/**
 * One slot of a project: its port, its container (if any) and whether traffic goes to it.
 * With several app servers, {@code container}, {@code release} and {@code workers} are the first
 * server's, and {@code servers} has every server's (the same port on each).
 *
 * @param container its {@code web} container
 * @param release the {@code codeb.release} label of its container
 * @param workers its other processes' containers (see {@code ProcessSpec}), by name
 * @param servers the slot on each app server, in the deploy's order; at least one
 */
public record SlotState(Slot slot, int port, Optional<ContainerInfo> container,
    Optional<String> release, boolean live, List<ContainerInfo> workers,
    List<ServerSlot> servers) {
  public SlotState {
    Objects.requireNonNull(slot, "slot");
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(release, "release");
    workers = List.copyOf(workers);
    servers = List.copyOf(servers);
    if (servers.isEmpty()) {
      throw new kr.codeb.InvalidRequestException("a slot is on at least one app server");
    }
  }

  /** A slot on one app server. */
  public SlotState(Slot slot, int port, Optional<ContainerInfo> container,
      Optional<String> release, boolean live, List<ContainerInfo> workers) {
    this(slot, port, container, release, live, workers,
        List.of(new ServerSlot(AppServer.DEFAULT_NAME, container, release, workers)));
  }

  /** A slot of {@code web} alone on one app server. */
  public SlotState(Slot slot, int port, Optional<ContainerInfo> container,
      Optional<String> release, boolean live) {
    this(slot, port, container, release, live, List.of());
  }

  /** Whether the slot's web container runs on every app server. */
  public boolean runningEverywhere() {
    return servers.stream().allMatch(ServerSlot::running);
  }

  /** The releases the slot's web containers run, one per server that has one. */
  public List<String> releases() {
    return servers.stream().flatMap(s -> s.release().stream()).distinct().toList();
  }
}
