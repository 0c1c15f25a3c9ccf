package kr.codeb.ports;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.ProviderInfo;
import kr.codeb.UnavailableException;

/**
 * Where the SSOT port registry lives (a file on a server, memory, later an HTTP service).
 *
 * <p>Semantics every implementation keeps, tested by {@code SsotStoreContract}:
 * <ul>
 *   <li>{@link #read()} returns a consistent snapshot, never a half-written one, with the
 *       revision derived from the stored content.
 *   <li>{@link #update} is an atomic compare-and-set, also across processes for stores that
 *       other processes share: either the whole change is stored or nothing is.
 *   <li>Fields of the stored document that CodeB does not model survive every update: the
 *       model carries them as {@code extensions} on the registry, its projects and its
 *       allocation records, so every store keeps those; the file store patches the stored
 *       document in place, so it also keeps unknown fields at every other level (inside a
 *       range, a project's per-environment ports, next to {@code allocated}) and the key order.
 *   <li>A stored document that breaks the format's rules is refused with an
 *       {@link InvalidRequestException} naming where it is wrong; the store never overwrites it.
 * </ul>
 * Implementations are safe for use from several threads.
 */
public interface SsotStore extends AutoCloseable {

  ProviderInfo info();

  /**
   * Reads the current registry.
   *
   * @throws NotFoundException if there is no registry at the store's location
   * @throws InvalidRequestException if the stored document is malformed (the message names
   *     the place)
   * @throws UnavailableException if the store cannot be read
   */
  Registry read();

  /**
   * Compare-and-set. If the stored revision equals {@code expected}, applies {@code change} to
   * the stored registry and stores the result, atomically, and returns it with its new
   * revision. If the change returns content equal to the current one, nothing is written and
   * the current snapshot is returned.
   *
   * <p>{@code change} may run while a lock is held: keep it quick and free of I/O. If it throws,
   * nothing is written and the exception propagates.
   *
   * @throws ConflictException if the stored revision is not {@code expected} (nothing written)
   */
  Registry update(Revision expected, UnaryOperator<Registry> change);

  /**
   * Reads and updates until the compare-and-set wins: the way to apply a change that is
   * computed from the current content, as allocation is. Exceptions thrown by the change
   * propagate at once. Gives up with a {@link ConflictException} after about 30 seconds of
   * lost races. A store with a lock of its own (the file store) overrides this to apply the
   * change under the lock, where it cannot lose a race.
   */
  default Registry modify(UnaryOperator<Registry> change) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    int attempt = 0;
    while (true) {
      Registry current = read();
      // A ConflictException the change itself throws (a full port range) is an answer, not a
      // lost race: only the store's own revision check is retried.
      AtomicReference<RuntimeException> fromChange = new AtomicReference<>();
      UnaryOperator<Registry> guarded = r -> {
        try {
          return change.apply(r);
        } catch (RuntimeException e) {
          fromChange.set(e);
          throw e;
        }
      };
      try {
        return update(current.revision(), guarded);
      } catch (ConflictException lostRace) {
        if (fromChange.get() != null) {
          throw lostRace;
        }
        if (System.nanoTime() > deadline) {
          throw new ConflictException(
              "gave up after " + attempt + " attempts: the registry at " + info().location()
                  + " kept changing under this update", lostRace);
        }
        backOff(++attempt);
      }
    }
  }

  /**
   * Applies an edit to the stored registry atomically and returns its outcome: the edit sees
   * the stored registry (never a stale copy), and either its whole change is stored or, when it
   * throws, nothing of it. Allocation and release go through here.
   *
   * <p>The default runs {@code edit.apply} through {@link #modify}, so every store has it. A
   * store may instead apply the edit in a write of another caller, even of another process,
   * together with other callers' edits (the file store's group commit): the outcome is then the
   * one that write computed for this edit, and the edit's exception is this caller's alone
   * (another edit of the same write failing does not fail this one).
   *
   * <p>Idempotence: a store that passes an edit to another process may not learn whether it
   * was applied (that process died after its write, before answering); it then applies the
   * edit again itself. The registry is right either way, because every {@link RegistryEdit} is
   * idempotent, but the outcome says "nothing to do" ({@link ProjectPorts#created()} or
   * released {@code false}) although this call did it.
   *
   * @throws InvalidRequestException if the edit names an environment the registry does not
   *     define for projects, or the stored document is malformed
   * @throws ConflictException if an allocation finds the range full
   * @throws NotFoundException if there is no registry at the store's location
   * @throws UnavailableException if the store cannot be read or written
   */
  default <T> T apply(RegistryEdit<T> edit) {
    Objects.requireNonNull(edit, "edit");
    // modify may run the change more than once (lost races): the last run is the stored one.
    AtomicReference<T> outcome = new AtomicReference<>();
    modify(registry -> {
      RegistryEdit.Applied<T> applied = edit.apply(registry);
      outcome.set(applied.outcome());
      return applied.registry();
    });
    return outcome.get();
  }

  /** Closes connections or handles; a closed store must not be used again. */
  @Override
  void close();

  private static void backOff(int attempt) {
    long maxMillis = Math.min(50, 1L << Math.min(attempt, 6));
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(maxMillis + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while retrying a registry update", e);
    }
  }
}
