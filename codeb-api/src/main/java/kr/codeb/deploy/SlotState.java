package kr.codeb.deploy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.model.Slot;
import kr.codeb.runtime.ContainerInfo;

/**
 * One slot of a project: its port, its container (if any) and whether traffic goes to it.
 *
 * @param container its {@code web} container
 * @param release the {@code codeb.release} label of its container
 * @param workers its other processes' containers (see {@code ProcessSpec}), by name
 */
public record SlotState(Slot slot, int port, Optional<ContainerInfo> container,
    Optional<String> release, boolean live, List<ContainerInfo> workers) {
  public SlotState {
    Objects.requireNonNull(slot, "slot");
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(release, "release");
    workers = List.copyOf(workers);
  }

  /** A slot of {@code web} alone. */
  public SlotState(Slot slot, int port, Optional<ContainerInfo> container,
      Optional<String> release, boolean live) {
    this(slot, port, container, release, live, List.of());
  }
}
