package kr.codeb.ports;

import java.util.Optional;
import kr.codeb.Checks;
import kr.codeb.model.Slot;

/**
 * A project's host ports in one environment: one per slot. Equal ports are representable
 * (a hand-edited SSOT may hold them) and reported by the check as {@code same-blue-green}.
 */
public record SlotPorts(int blue, int green) {
  public SlotPorts {
    Checks.port("blue port", blue);
    Checks.port("green port", green);
  }

  public int port(Slot slot) {
    return slot == Slot.BLUE ? blue : green;
  }

  /** Which slot uses the port, if either does (blue first when both do). */
  public Optional<Slot> slotOf(int port) {
    if (port == blue) {
      return Optional.of(Slot.BLUE);
    }
    return port == green ? Optional.of(Slot.GREEN) : Optional.empty();
  }
}
