package kr.codeb.deploy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.model.Slot;

/** Both slots of a project, the route's hosts, and the release history (oldest first). */
public record SlotReport(DeployKey key, Optional<Slot> live, List<SlotState> slots,
    List<String> hosts, List<ReleaseRecord> history) {
  public SlotReport {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(live, "live");
    slots = List.copyOf(slots);
    hosts = List.copyOf(hosts);
    history = List.copyOf(history);
  }

  public SlotState slot(Slot slot) {
    return slots.stream().filter(s -> s.slot() == slot).findFirst().orElseThrow();
  }
}
