package kr.codeb.ssot.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kr.codeb.ports.Registry;
import kr.codeb.ports.RegistryEdit;

/**
 * Cross-process group commit (flat combining through the file system) of one SSOT file's
 * {@link RegistryEdit}s: one write carries the edits of every process waiting for the lock.
 *
 * <ol>
 *   <li>Lock free at once: this call is the combiner. It applies the queued requests of the
 *       others and its own edit to one decoding of the file, writes once, and answers each
 *       requester.
 *   <li>Lock taken: the edit is posted to the {@link EditQueue} and the call waits, with a
 *       shared lock, for the holder to let go. A combiner that took the request has answered
 *       it by then, and every requester it answered collects its answer at once. One that
 *       finds no answer tries the lock: if it gets it (and nobody answered it meanwhile) it
 *       combines itself; if not, another holds it and it waits shared again (a few rounds,
 *       then exclusively). No call depends on another process to finish: a requester always
 *       ends up applying its edit itself if nobody else did.
 * </ol>
 *
 * Each edit's exception is that edit's answer; the other edits of the batch are still written.
 * The combiner removes the requests it takes before it writes, and answers after: a combiner
 * that dies before its write leaves those edits unapplied, and their requesters apply them; one
 * that dies after its write, before its answers, leaves them applied and unanswered, and their
 * requesters apply them again, which is idempotent, so the file is right but their outcome then
 * says "nothing to do". A batch the format cannot encode (one edit's result it cannot hold) is
 * not written: the combiner applies its own edit alone and leaves the other requests queued.
 * An edit that cannot be queued (a repair, see {@link EditCodec#queueable}) waits for the lock
 * and is combined with whatever is queued then.
 */
public final class GroupCommit {
  /**
   * How often a requester that found no answer tries the lock without waiting before it waits
   * for it exclusively. A failed try means another process holds the lock: a combiner (which
   * has probably taken the request: waiting shared again lets this requester collect with the
   * others instead of after them, one by one) or requesters collecting their answers (for a
   * moment only). The bound keeps the loop from spinning on a stream of those.
   */
  private static final int SHARED_ROUNDS = 4;

  /** The stored registry, as the store reads it under the lock. */
  public interface Storage {
    /** Reads and decodes the file; fails (writing nothing) if it is missing or malformed. */
    Draft load();
  }

  /** One decoding of the file, for one write. */
  public interface Draft {
    Registry registry();

    /**
     * Encodes {@code after} (derived from {@link #registry()}; spends the draft) and returns
     * the write that stores it. Throws, having written nothing, if the format cannot hold it.
     */
    Runnable encode(Registry after);
  }

  private final Path lock;
  private final EditQueue queue;
  private final Storage storage;
  private final Duration wait;

  /** For one call: the file's lock, its queue, and how to read and write it under the lock. */
  public GroupCommit(Path lock, EditQueue queue, Storage storage) {
    this(lock, queue, storage, FileMutex.DEFAULT_WAIT);
  }

  /**
   * The same, waiting at most {@code wait} in all for the lock's holder (past it: the call fails
   * with an {@link kr.codeb.UnavailableException} naming the lock and its holder, its edit
   * withdrawn).
   */
  public GroupCommit(Path lock, EditQueue queue, Storage storage, Duration wait) {
    this.lock = lock;
    this.queue = queue;
    this.storage = storage;
    this.wait = wait;
  }

  /** Applies the edit, combined with the queued ones, and returns its outcome or throws. */
  public <T> T apply(RegistryEdit<T> edit) {
    FileMutex.Deadline deadline = FileMutex.deadline(wait);
    Optional<FileMutex.Held> free = FileMutex.tryAcquire(lock);
    if (free.isPresent()) {
      try (FileMutex.Held held = free.get()) {
        return combine(edit);
      }
    }
    EditQueue.Ticket ticket = EditCodec.queueable(edit) ? post(edit) : null;
    if (ticket == null) {
      try (FileMutex.Held held = FileMutex.acquire(lock, deadline)) {
        return combine(edit);
      }
    }
    try {
      return awaitAnswerOrCombine(ticket, edit, deadline);
    } catch (RuntimeException | Error e) {
      // Failing before its edit was applied: nobody should apply it later.
      queue.withdraw(ticket);
      throw e;
    }
  }

  /** Posts the edit, or null if the queue cannot be written: the call then waits and applies. */
  private EditQueue.Ticket post(RegistryEdit<?> edit) {
    try {
      return queue.post(edit);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private <T> T awaitAnswerOrCombine(EditQueue.Ticket ticket, RegistryEdit<T> edit,
      FileMutex.Deadline deadline) {
    for (int round = 1; ; round++) {
      Optional<EditCodec.Answer> answer;
      try (FileMutex.Held shared = FileMutex.acquireShared(lock, deadline)) {
        answer = queue.takeAnswer(ticket, edit);
      }
      if (answer.isPresent()) {
        return answered(edit, answer.get());
      }
      Optional<FileMutex.Held> exclusive = round < SHARED_ROUNDS ? FileMutex.tryAcquire(lock)
          : Optional.of(FileMutex.acquire(lock, deadline));
      if (exclusive.isPresent()) {
        try (FileMutex.Held held = exclusive.get()) {
          // A combiner may have come in between. Withdrawn before anything else: from here
          // on only this call applies the edit.
          answer = queue.takeAnswer(ticket, edit);
          queue.withdraw(ticket);
          return answer.isPresent() ? answered(edit, answer.get()) : combine(edit);
        }
      }
    }
  }

  @SuppressWarnings("unchecked") // the codec decodes the outcome type of the edit it is given
  private static <T> T answered(RegistryEdit<T> edit, EditCodec.Answer answer) {
    CommitCounters.ANSWERED_BY_OTHERS.increment();
    if (answer.failure() != null) {
      throw answer.failure();
    }
    return (T) answer.outcome();
  }

  /**
   * Under the lock: the queued edits, then this caller's, applied to one decoding and written
   * once. A file that cannot be read or decoded fails this call and leaves the queue as it is.
   */
  @SuppressWarnings("unchecked") // the last result is the own edit's, of its outcome type
  private <T> T combine(RegistryEdit<T> own) {
    List<EditQueue.Pending> others = queue.pending();
    Draft draft = storage.load();
    List<RegistryEdit<?>> edits = new ArrayList<>(others.size() + 1);
    others.forEach(p -> edits.add(p.edit()));
    edits.add(own);
    EditBatch.Applied batch = EditBatch.apply(draft.registry(), edits);
    Runnable write = null;
    if (!batch.after().sameContent(draft.registry())) {
      try {
        write = draft.encode(batch.after());
      } catch (RuntimeException unrepresentable) {
        if (others.isEmpty()) {
          throw unrepresentable;
        }
        // Someone's edit gives a registry the format cannot hold: this caller's edit alone,
        // and every other requester finds its request still queued and applies it itself.
        return combineAlone(own);
      }
    }
    // Removed before the write: a crash from here on leaves requests unanswered, never applied
    // twice by two combiners; their requesters then apply them (idempotent).
    others.forEach(queue::remove);
    if (write != null) {
      write.run();
    }
    List<EditBatch.Result> results = batch.results();
    for (int i = 0; i < others.size(); i++) {
      EditBatch.Result r = results.get(i);
      String id = others.get(i).id();
      queue.answer(id, r.failed() ? EditCodec.failure(id, r.failureToAnswer())
          : EditCodec.success(id, r.edit(), r.outcome()));
      CommitCounters.APPLIED_FOR_OTHERS.increment();
    }
    EditBatch.Result mine = results.get(results.size() - 1);
    if (mine.failed()) {
      throw mine.failure();
    }
    return (T) mine.outcome();
  }

  private <T> T combineAlone(RegistryEdit<T> own) {
    Draft fresh = storage.load(); // the failed encoding spent the first draft
    RegistryEdit.Applied<T> applied = own.apply(fresh.registry());
    if (!applied.registry().sameContent(fresh.registry())) {
      fresh.encode(applied.registry()).run();
    }
    return applied.outcome();
  }
}
