package kr.codeb.deploy;

import java.util.Objects;
import kr.codeb.model.Slot;

/**
 * The live slot's health: one probe of its health path.
 *
 * @param status the HTTP status, or 0 when no answer came
 * @param detail what was seen, for people
 */
public record HealthReport(DeployKey key, Slot slot, int port, String path, boolean healthy,
    int status, String detail) {
  public HealthReport {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(slot, "slot");
    Objects.requireNonNull(detail, "detail");
  }
}
