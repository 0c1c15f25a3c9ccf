package kr.codeb.ssot.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * What this JVM's file stores did, for the allocation benchmark (codeb-bench reads these to
 * report real writes per second, not calls): SSOT writes, edits applied in them on behalf of
 * other requesters, and own edits another process answered. Counting costs an add per write.
 */
public final class CommitCounters {
  /** SSOT files written by this JVM (every apply that changed the content). */
  public static final LongAdder WRITES = new LongAdder();
  /** Queued edits of other requesters that this JVM applied and answered. */
  public static final LongAdder APPLIED_FOR_OTHERS = new LongAdder();
  /** This JVM's edits that another process applied (answered through the queue). */
  public static final LongAdder ANSWERED_BY_OTHERS = new LongAdder();

  private CommitCounters() {}

  /** Zeroes every counter (after a warm-up). */
  public static void reset() {
    WRITES.reset();
    APPLIED_FOR_OTHERS.reset();
    ANSWERED_BY_OTHERS.reset();
  }
}
