package kr.codeb.ssot;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import kr.codeb.InputFiles;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.ProviderInfo;
import kr.codeb.UnavailableException;
import kr.codeb.audit.AuditContext;
import kr.codeb.audit.AuditEntry;
import kr.codeb.audit.SsotAudit;
import kr.codeb.ports.Registry;
import kr.codeb.ports.RegistryEdit;
import kr.codeb.ports.SsotDocumentStore;
import kr.codeb.ports.SsotStore;
import kr.codeb.ports.Revision;
import kr.codeb.ConflictException;
import kr.codeb.audit.AuditEntry;
import kr.codeb.ssot.internal.AtomicFiles;
import kr.codeb.ssot.internal.CommitCounters;
import kr.codeb.ssot.internal.EditQueue;
import kr.codeb.ssot.internal.FileMutex;
import kr.codeb.ssot.internal.GroupCommit;
import kr.codeb.ssot.internal.SsotCodec;

/**
 * The SSOT registry in a local JSON file (format 7.0.0), as {@code /opt/codeb/registry/ssot.json}.
 *
 * <p>{@link #read()} reads the file once and decodes it; the revision is a digest of exactly
 * those bytes. Because writes replace the file by an atomic rename, a read sees the old or the
 * new document, never a torn one, and needs no lock.
 *
 * <p>{@link #apply} is atomic across threads and processes: it holds an in-JVM lock per file
 * and an exclusive OS lock on the sibling {@code <name>.lock} (created when absent, never
 * deleted), re-reads the file, applies the edit, and writes the result to a temporary file in the same folder, forced to disk, before renaming it
 * over the file. The previous content is kept as {@code <name>.bak} (a hard link to the
 * replaced file, or a forced copy where links are unsupported).
 * A crash at any moment leaves the old or the new file. The file's POSIX permissions are kept.
 * Unknown fields and key order survive (the document's tree is patched, not rebuilt).
 *
 * <p>{@link #apply} group-commits: processes that find the lock taken queue their allocation or
 * release as a small request file in the sibling folder {@code <name>.queue} and the next lock
 * holder applies all queued edits in one write, answering each requester through an answer
 * file there (see {@link #apply} for the protocol and what a crash leaves). A repair is not
 * queued: it waits for the lock and is written with whatever is queued then.
 *
 * <p>Every edit that changed the registry is recorded in the audit log beside the file
 * ({@link FileAuditLog}, {@code <name>.audit.jsonl}) by the process that asked for it.
 *
 * <p>Only a regular file of at most {@link #MAX_BYTES} is read; anything else (a directory, a
 * FIFO, a device, a larger file) is refused with an {@link InvalidRequestException} before it
 * is opened (see {@link InputFiles}). A structurally broken file is refused (an
 * {@link InvalidRequestException} naming the place, never quoting the content) and never
 * overwritten. An edit that fails on the file as it is (bad input, a broken file) fails before
 * the lock file is created. Missing file: {@link NotFoundException}; I/O failures:
 * {@link UnavailableException}. Instances are thread-safe; creating one does no I/O.
 */
public final class FileSsotStore implements SsotDocumentStore {
  /**
   * The largest SSOT file read: 16 MiB, about a hundred times a fleet of a thousand projects.
   * A larger file (or a device, a FIFO, a directory) is refused before it is read.
   */
  public static final long MAX_BYTES = 16L << 20;
  private static final String PROVIDER = "file";
  private static final String WHAT = "SSOT file";

  /** How long a write waits for the file's lock by default: 30 s. */
  public static final Duration DEFAULT_LOCK_WAIT = FileMutex.DEFAULT_WAIT;
  /** The variable {@link FileSsotStoreFactory} reads another lock wait from ({@code 2m}). */
  public static final String LOCK_WAIT_VARIABLE = FileMutex.WAIT_VARIABLE;

  private final Path file;
  private final SsotCodec codec;
  private final Duration lockWait;
  private volatile boolean closed;
  /**
   * The last content this store decoded or wrote: a read of the same bytes skips decoding. Its
   * tree, when present, is unshared; a write claims it (compare-and-set) and patches it.
   */
  private final AtomicReference<Snapshot> last = new AtomicReference<>();

  private record Snapshot(byte[] bytes, SsotCodec.Decoded decoded) {}

  private FileSsotStore(Path file, Duration lockWait) {
    this.file = file.toAbsolutePath().normalize();
    this.codec = new SsotCodec(InputFiles.shown(this.file));
    this.lockWait = Checks.positive("lockWait", lockWait);
  }

  /**
   * A store for the file; nothing is read until {@link #read()} or {@link #apply}. A write waits
   * at most {@link #DEFAULT_LOCK_WAIT} for the file's lock.
   */
  public static FileSsotStore open(Path file) {
    return open(file, DEFAULT_LOCK_WAIT);
  }

  /**
   * The same, a write waiting at most {@code lockWait} for the file's lock when another process
   * holds it; past that it fails with an {@link UnavailableException} naming the lock file and,
   * when the system tells it, the holder (a stuck holder never hangs the caller).
   */
  public static FileSsotStore open(Path file, Duration lockWait) {
    return new FileSsotStore(Objects.requireNonNull(file, "file"), lockWait);
  }

  /** The file's absolute path. */
  public Path path() {
    return file;
  }

  @Override
  public ProviderInfo info() {
    return new ProviderInfo(PROVIDER, file.toString());
  }

  @Override
  public Registry read() {
    ensureOpen();
    return decode(readBytes(file), false).registry();
  }

  /**
   * Decodes bytes, or reuses the last decoding when the bytes are the same (compared in full:
   * a stat-based check could miss a same-size write within the file system's timestamp
   * granularity). With {@code forPatching} the result's tree is the caller's to change.
   */
  private SsotCodec.Decoded decode(byte[] bytes, boolean forPatching) {
    Snapshot s = last.get();
    if (s != null && Arrays.equals(s.bytes(), bytes)) {
      Registry registry = s.decoded().registry();
      if (!forPatching) {
        return s.decoded();
      }
      if (s.decoded().tree() != null
          && last.compareAndSet(s, new Snapshot(bytes, new SsotCodec.Decoded(null, registry)))) {
        return s.decoded();
      }
      return new SsotCodec.Decoded(codec.parseObject(bytes), registry);
    }
    SsotCodec.Decoded decoded = codec.decode(bytes);
    // Keep the tree for a later write only when the caller will not change it.
    last.set(new Snapshot(bytes, forPatching ? new SsotCodec.Decoded(null, decoded.registry())
        : decoded));
    return decoded;
  }

  /** Marks the store closed; it holds no open handles between calls. */
  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "FileSsotStore[" + file + "]";
  }

  /**
   * Applies the edit with the file's other queued edits in one write (group commit, see
   * {@link GroupCommit}). When the lock is free it is taken at once and this call applies the
   * queued requests of other processes with its own edit, writes once, and answers each
   * requester. Otherwise the edit is queued as a small request file in {@code <name>.queue}
   * (see {@link EditQueue}) and the call waits for the lock's holder, which has usually applied
   * and answered it by then; if nobody did, the call applies it itself: no call depends on
   * another process to finish.
   *
   * <p>Each edit's exception is that edit's answer; the others of the batch are still written.
   * A combiner that dies after its write, before its answers, leaves its requesters to apply
   * their edits again: idempotent, so the file is right, but their outcome then says "nothing
   * to do" (see {@link SsotStore#apply}). A combiner that dies before its write leaves the
   * edits unapplied and their requesters apply them.
   */
  @Override
  public <T> T apply(RegistryEdit<T> edit) {
    Objects.requireNonNull(edit, "edit");
    ensureOpen();
    Path target = canonical();
    Registry now = decode(readBytes(target), false).registry();
    Optional<T> settled = settledWithoutWriting(now, edit);
    if (settled.isPresent()) {
      return settled.get();
    }
    T outcome = new GroupCommit(lockPath(target), EditQueue.beside(target), () -> draft(target),
        lockWait).apply(edit);
    audit(target, edit, outcome, now);
    return outcome;
  }

  /**
   * Appends the edit's audit entries to {@code <file>.audit.jsonl}, in this process (so the
   * entries name this process's actor and command also when another process's group commit
   * wrote the edit). A release's freed pair is the one the file held when this call began
   * reading: exact unless the pair was released and allocated again meanwhile.
   *
   * @throws UnavailableException if the entries cannot be appended (the edit is stored)
   */
  private <T> void audit(Path target, RegistryEdit<T> edit, T outcome, Registry before) {
    List<AuditEntry> entries = SsotAudit.entries(edit, outcome, before, info(), Instant.now(),
        AuditContext.current());
    try {
      FileAuditLog.besideSsot(target).appendAll(entries);
    } catch (UnavailableException e) {
      throw new UnavailableException("the edit was stored in " + InputFiles.shown(file)
          + ", but its audit entry was not: " + e.getMessage(), PROVIDER, 0, e);
    }
  }

  /**
   * The edit tried on the file as it is now, before any lock is taken or any file created: a
   * file that is missing, not a regular file, too large or malformed, and an edit that is bad
   * input (an environment the file does not define), fail here, leaving no lock file or queue
   * behind. An edit with nothing to do (ports already held, nothing to release or repair)
   * returns its outcome: the file read is an atomic snapshot, so that answer was true at the
   * moment of the read. Anything else is applied under the lock, on the file as it is then.
   */
  private <T> Optional<T> settledWithoutWriting(Registry now, RegistryEdit<T> edit) {
    RegistryEdit.Applied<T> tried;
    try {
      tried = edit.apply(now);
    } catch (InvalidRequestException badInput) {
      throw badInput;
    } catch (RuntimeException mayChange) {
      return Optional.empty(); // a full range may have room once the lock is held
    }
    return tried.registry().sameContent(now) ? Optional.of(tried.outcome()) : Optional.empty();
  }

  /** Under the lock: the file decoded for one write through {@link #commit}. */
  private GroupCommit.Draft draft(Path target) {
    Loaded loaded = load(target);
    return new GroupCommit.Draft() {
      @Override
      public Registry registry() {
        return loaded.registry();
      }

      @Override
      public Runnable encode(Registry after) {
        // The encoder decodes what is about to be stored: a change the format cannot
        // represent fails here, before any write.
        SsotCodec.Encoded next = codec.rewrite(loaded.decoded(), after);
        return () -> commit(target, loaded, next);
      }
    };
  }

  /** The file's bytes and their decoding, with a tree the caller may patch. */
  private record Loaded(byte[] bytes, SsotCodec.Decoded decoded) {
    Registry registry() {
      return decoded.registry();
    }
  }

  private Loaded load(Path target) {
    byte[] bytes = readBytes(target);
    return new Loaded(bytes, decode(bytes, true));
  }

  /**
   * Replaces the file with the encoded registry (temp file forced to disk, .bak link, atomic
   * rename, folder forced) and remembers the new content for the next read.
   */
  private Registry commit(Path target, Loaded loaded, SsotCodec.Encoded next) {
    try {
      AtomicFiles.replaceDurably(target, target.resolveSibling(target.getFileName() + ".bak"),
          next.bytes(), loaded.bytes(), AtomicFiles.permissions(target));
    } catch (IOException e) {
      throw unavailable("could not write " + InputFiles.shown(target), e);
    }
    CommitCounters.WRITES.increment();
    // The patched tree is exactly the new bytes' tree, and no one else holds it.
    last.set(new Snapshot(next.bytes(),
        new SsotCodec.Decoded(loaded.decoded().tree(), next.registry())));
    return next.registry();
  }

  @Override
  public byte[] exportDocument() {
    ensureOpen();
    return readBytes(file);
  }

  /**
   * Writes the document under the file's lock (the same one edits take), as an edit's write
   * does (temporary file forced, atomic rename, previous content kept as {@code .bak}); a file
   * that does not exist yet is created (its folder must exist).
   */
  @Override
  public boolean importDocument(byte[] document, boolean replace) {
    Objects.requireNonNull(document, "document");
    ensureOpen();
    SsotDocument incoming = SsotDocument.parse(document, "the document to import");
    Path target = file;
    try {
      target = file.toRealPath();
    } catch (NoSuchFileException e) {
      // created below
    } catch (IOException e) {
      throw unavailable("could not resolve " + InputFiles.shown(file), e);
    }
    Path finalTarget = target;
    // The revision replaced (NONE: the file was created), or null when nothing was written.
    Revision replaced = FileMutex.with(lockPath(target), lockWait, () -> {
      Optional<byte[]> current = currentBytes(finalTarget);
      if (current.isPresent() && Arrays.equals(current.get(), document)) {
        return null;
      }
      if (current.isPresent() && !replace) {
        throw new ConflictException(InputFiles.shown(file) + " holds another registry already"
            + " (revision " + SsotDocument.revisionOf(current.get()) + "); pass --replace to"
            + " overwrite it (its content is kept as " + finalTarget.getFileName() + ".bak)");
      }
      try {
        if (current.isPresent()) {
          AtomicFiles.replaceDurably(finalTarget,
              finalTarget.resolveSibling(finalTarget.getFileName() + ".bak"), document,
              current.get(), AtomicFiles.permissions(finalTarget));
        } else {
          AtomicFiles.writeDurably(finalTarget, document, null);
        }
      } catch (IOException e) {
        throw unavailable("could not write " + InputFiles.shown(finalTarget), e);
      }
      CommitCounters.WRITES.increment();
      return current.map(SsotDocument::revisionOf).orElse(Revision.NONE);
    });
    if (replaced == null) {
      return false;
    }
    Optional<Revision> previous = Optional.of(replaced).filter(r -> !r.equals(Revision.NONE));
    AuditEntry entry = SsotAudit.importEntry(previous, incoming.revision(), info(), Instant.now(),
        AuditContext.current());
    FileAuditLog.besideSsot(target).append(entry);
    return true;
  }

  private Optional<byte[]> currentBytes(Path target) {
    try {
      return Optional.of(InputFiles.read(target, WHAT, MAX_BYTES));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  /** Where the bytes really are: symlinks resolved, so the rename replaces the target. */
  private Path canonical() {
    try {
      return file.toRealPath();
    } catch (NoSuchFileException e) {
      throw notFound(e);
    } catch (IOException e) {
      throw unavailable("could not resolve " + InputFiles.shown(file), e);
    }
  }

  private static Path lockPath(Path target) {
    return target.resolveSibling(target.getFileName() + ".lock");
  }

  private byte[] readBytes(Path path) {
    try {
      return InputFiles.read(path, WHAT, MAX_BYTES);
    } catch (NotFoundException e) {
      throw notFound(e);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  private NotFoundException notFound(Exception e) {
    return new NotFoundException("no SSOT registry at " + InputFiles.shown(file) + ": the file"
        + " does not exist (create it, or point CodeB at the right file)", PROVIDER, 0, e);
  }

  private static UnavailableException unavailable(String message, IOException e) {
    return new UnavailableException(message + ": " + InputFiles.reason(e), PROVIDER, 0, e);
  }
}
