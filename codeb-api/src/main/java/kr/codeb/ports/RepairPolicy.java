package kr.codeb.ports;

/**
 * How {@code repair} may change the registry. The rules, always:
 * <ul>
 *   <li>Project entries are the truth (deploys read them), so a record in
 *       {@code ports.allocated} that disagrees with a project entry is rewritten to match it,
 *       and a missing record is added. The old record appears in the report.
 *   <li>Records that no project entry claims (orphans, stale records) still reserve their port,
 *       so they are kept unless {@code dropUnclaimed} is set.
 *   <li>Ranges, ports outside their range, equal blue/green ports and ports claimed twice are
 *       never changed: fixing them moves a running app, which needs a person.
 * </ul>
 *
 * @param dropUnclaimed remove records that no project entry claims
 * @param dryRun compute and report the changes without writing them
 */
public record RepairPolicy(boolean dropUnclaimed, boolean dryRun) {
  public static RepairPolicy defaults() {
    return new RepairPolicy(false, false);
  }
}
