package kr.codeb.ports;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import kr.codeb.ConflictException;
import kr.codeb.UnavailableException;

/**
 * {@link SsotStore#apply} for a store whose only atomic write is a compare-and-set: "store
 * this registry if the stored revision is still the one I read" (an HTTP service with ETags, an
 * object in memory). The retry loop lives here, once: read, run the edit, try to store; a lost
 * race reads again and runs the edit again. Exceptions the edit throws (a full range, an
 * undefined environment) are its answer and propagate at once; only lost races are retried,
 * with a short random back-off, for about {@link #GIVE_UP_AFTER}.
 */
public final class CompareAndSet {
  /** How long lost races are retried before {@link #apply} gives up. */
  public static final Duration GIVE_UP_AFTER = Duration.ofSeconds(30);

  private CompareAndSet() {}

  /** The store's two primitives. */
  public interface Storage {
    /** The stored registry with its revision (as {@link SsotStore#read()}). */
    Registry read();

    /**
     * Stores {@code after} if the stored revision still is {@code expected}, atomically, and
     * returns it with its new revision; returns empty, having written nothing, if the stored
     * revision is another one (a lost race). Never called with content equal to the stored one.
     */
    Optional<Registry> storeIfUnchanged(Revision expected, Registry after);

    /** Where the registry is, for messages. */
    String location();
  }

  /** Applies the edit with the semantics of {@link SsotStore#apply}. */
  public static <T> T apply(Storage storage, RegistryEdit<T> edit) {
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(edit, "edit");
    long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
    for (int attempt = 1; ; attempt++) {
      Registry before = storage.read();
      RegistryEdit.Applied<T> applied = edit.apply(before);
      if (applied.registry().sameContent(before)) {
        return applied.outcome();
      }
      if (storage.storeIfUnchanged(before.revision(), applied.registry()).isPresent()) {
        return applied.outcome();
      }
      if (System.nanoTime() > deadline) {
        throw new ConflictException("gave up after " + attempt + " attempts: the registry at "
            + storage.location() + " kept changing under this edit");
      }
      backOff(attempt);
    }
  }

  private static void backOff(int attempt) {
    long maxMillis = Math.min(50, 1L << Math.min(attempt, 6));
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(maxMillis + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while retrying a registry edit", e);
    }
  }
}
