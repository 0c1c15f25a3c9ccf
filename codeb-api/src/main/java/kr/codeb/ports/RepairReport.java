package kr.codeb.ports;

import java.util.List;

/**
 * What a repair changed (or, in a dry run, would change), and the findings left afterwards.
 *
 * @param written whether the changes were stored
 */
public record RepairReport(List<PortChange> changes, List<Finding> remaining, boolean written) {
  public RepairReport {
    changes = List.copyOf(changes);
    remaining = List.copyOf(remaining);
  }
}
