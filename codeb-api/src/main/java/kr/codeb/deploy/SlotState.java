package kr.codeb.deploy;

import java.util.Objects;
import java.util.Optional;
import kr.codeb.model.Slot;
import kr.codeb.runtime.ContainerInfo;

/**
 * One slot of a project: its port, its container (if any) and whether traffic goes to it.
 *
 * @param release the {@code codeb.release} label of its container
 */
public record SlotState(Slot slot, int port, Optional<ContainerInfo> container,
    Optional<String> release, boolean live) {
  public SlotState {
    Objects.requireNonNull(slot, "slot");
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(release, "release");
  }
}
