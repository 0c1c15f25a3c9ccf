package kr.codeb.ports;

import java.util.Locale;

/**
 * The kinds of semantic trouble {@code check} finds in a registry. The ids ({@link #id()}) are
 * part of CodeB's stable JSON output.
 */
public enum FindingKind {
  /** Two environments' port ranges overlap. Needs a person: ranges are policy. */
  OVERLAPPING_RANGES(false),
  /** A project's port is recorded in {@code ports.allocated} for another project. Repairable. */
  OWNER_MISMATCH(true),
  /** A project's port is recorded for the right project but another slot or environment. Repairable. */
  SLOT_MISMATCH(true),
  /** A project's port has no record in {@code ports.allocated}. Repairable. */
  MISSING_ALLOCATION(true),
  /** A record in {@code ports.allocated} names a project that has no entry. Dropped only on request. */
  ORPHAN_ALLOCATION(true),
  /** A record names a project that exists but no longer uses that port. Dropped only on request. */
  STALE_ALLOCATION(true),
  /** A port lies outside its environment's range. Needs a person: the app runs on it. */
  OUT_OF_RANGE(false),
  /** A project's blue and green ports are the same. Needs a person. */
  SAME_BLUE_GREEN(false),
  /** Two projects (or environments) claim the same port. Needs a person. */
  DUPLICATE_PORT(false),
  /** A project has ports in an environment the SSOT's ranges do not define. Needs a person. */
  UNKNOWN_ENVIRONMENT(false),
  /**
   * A project's recorded placement names a server the fleet's config does not have as an app
   * server (found by front ends that know the config). Needs a person: the next deploy records
   * the placement it used.
   */
  UNKNOWN_PLACEMENT_SERVER(false);

  private final boolean repairable;

  FindingKind(boolean repairable) {
    this.repairable = repairable;
  }

  /** Whether {@code repair} can fix it (orphans and stale records only when asked to drop them). */
  public boolean repairable() {
    return repairable;
  }

  /** The stable id used in JSON: {@code owner-mismatch}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
