package kr.codeb.ports;

import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.ProviderInfo;
import kr.codeb.UnavailableException;

/**
 * Where the SSOT port registry lives (a file on a server, a PostgreSQL database, memory, or
 * {@code we ssot serve} over HTTP). A store has one way to look, {@link #read()}, and one way
 * to change, {@link #apply}: every change is a {@link RegistryEdit} (allocate, release,
 * repair), written as data so that the store can apply it where the registry is, under its own
 * atomicity.
 *
 * <p>Semantics every implementation keeps, tested by {@code SsotStoreContract}:
 * <ul>
 *   <li>{@link #read()} returns a consistent snapshot, never a half-written one, with the
 *       revision derived from the stored content.
 *   <li>{@link #apply} is atomic, also across processes for stores that other processes
 *       share: the edit sees the stored registry and either its whole change is stored or
 *       nothing is.
 *   <li>Fields of the stored document that CodeB does not model survive every edit: the model
 *       carries them as {@code extensions} on the registry, its projects and its allocation
 *       records, so every store keeps those; the file store patches the stored document in
 *       place, so it also keeps unknown fields at every other level (inside a range, a
 *       project's per-environment ports, next to {@code allocated}) and the key order.
 *   <li>A stored document that breaks the format's rules is refused with an
 *       {@link InvalidRequestException} naming where it is wrong; the store never overwrites it.
 * </ul>
 * A store whose only atomic write is a compare-and-set (store this if the revision is still
 * the one read) implements {@link #apply} with {@link CompareAndSet#apply}, which holds the
 * retry loop. Implementations are safe for use from several threads.
 */
public interface SsotStore extends AutoCloseable {

  ProviderInfo info();

  /**
   * Reads the current registry.
   *
   * @throws NotFoundException if there is no registry at the store's location
   * @throws InvalidRequestException if the stored document is malformed (the message names
   *     the place, never the content)
   * @throws UnavailableException if the store cannot be read
   */
  Registry read();

  /**
   * Applies an edit to the stored registry and returns the edit's outcome.
   *
   * <ul>
   *   <li><b>Before:</b> the registry as stored at the moment the edit runs, never a copy read
   *       earlier. The edit may run more than once (a store that lost a race reads again and
   *       runs it again); only its last run counts.
   *   <li><b>The edit:</b> {@code edit.apply(before)}, a pure function (see
   *       {@link RegistryEdit}).
   *   <li><b>After:</b> the registry the edit returned is stored, with a new revision, and the
   *       next {@link #read()} of any handle returns it. When it has the same content as
   *       before, nothing is written and the revision stays.
   * </ul>
   *
   * <p><b>Atomic:</b> all of the edit's change is stored or none of it; no other write comes
   * between the read of "before" and the write of "after". A store may apply the edit inside
   * a write of another caller, even of another process, together with other callers' edits
   * (the file store's group commit): the outcome is then the one that write computed for this
   * edit, and the edit's exception is this caller's alone (another edit of the same write
   * failing does not fail this one).
   *
   * <p><b>Idempotent:</b> every edit, applied to the registry it produced, changes nothing and
   * reports "nothing to do". A store that passes an edit to another process may not learn
   * whether it was applied (that process died after its write, before answering); it then
   * applies the edit again itself. The registry is right either way, but the outcome then says
   * "nothing to do" ({@link ProjectPorts#created()} {@code false}, released {@code false}, a
   * repair report with no changes) although this call did it.
   *
   * <p><b>Throws</b>, having written nothing of this edit:
   *
   * @throws InvalidRequestException if the edit names an environment the registry does not
   *     define for projects, or the stored document is malformed, or the result cannot be
   *     stored in the store's format
   * @throws ConflictException if an allocation finds the range full, or the store gave up
   *     after losing races for a long time (about 30 seconds)
   * @throws NotFoundException if there is no registry at the store's location
   * @throws UnavailableException if the store cannot be read or written
   */
  <T> T apply(RegistryEdit<T> edit);

  /** Closes connections or handles; a closed store must not be used again. */
  @Override
  void close();
}
