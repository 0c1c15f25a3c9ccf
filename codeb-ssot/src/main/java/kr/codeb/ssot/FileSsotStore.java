package kr.codeb.ssot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import kr.codeb.ConflictException;
import kr.codeb.NotFoundException;
import kr.codeb.ProviderInfo;
import kr.codeb.Registry;
import kr.codeb.Revision;
import kr.codeb.SsotStore;
import kr.codeb.UnavailableException;
import kr.codeb.ssot.internal.FileMutex;
import kr.codeb.ssot.internal.SsotCodec;

/**
 * The SSOT registry in a local JSON file (format 7.0.0), as {@code /opt/codeb/registry/ssot.json}.
 *
 * <p>{@link #read()} reads the file once and decodes it; the revision is a digest of exactly
 * those bytes. Because writes replace the file by an atomic rename, a read sees the old or the
 * new document, never a torn one, and needs no lock.
 *
 * <p>{@link #update} is a compare-and-set that is atomic across threads and processes: it holds
 * an in-JVM lock per file and an exclusive OS lock on the sibling {@code <name>.lock} (created
 * when absent, never deleted), re-reads the file, compares revisions, applies the change, and
 * writes the result to a temporary file in the same folder, forced to disk, before renaming it
 * over the file. The previous content is kept as {@code <name>.bak} (a hard link to the
 * replaced file, or a forced copy where links are unsupported).
 * A crash at any moment leaves the old or the new file. The file's POSIX permissions are kept.
 * Unknown fields and key order survive (the document's tree is patched, not rebuilt).
 *
 * <p>A structurally broken file is refused ({@link kr.codeb.InvalidRequestException} naming the
 * place) and never overwritten. Missing file: {@link NotFoundException}; I/O failures:
 * {@link UnavailableException}. Instances are thread-safe; creating one does no I/O.
 */
public final class FileSsotStore implements SsotStore {
  private static final String PROVIDER = "file";

  private final Path file;
  private final SsotCodec codec;
  private volatile boolean closed;
  /**
   * The last content this store decoded or wrote: a read of the same bytes skips decoding. Its
   * tree, when present, is unshared; an update claims it (compare-and-set) and patches it.
   */
  private final AtomicReference<Snapshot> last = new AtomicReference<>();

  private record Snapshot(byte[] bytes, SsotCodec.Decoded decoded) {}

  private FileSsotStore(Path file) {
    this.file = file.toAbsolutePath().normalize();
    this.codec = new SsotCodec(this.file.toString());
  }

  /** A store for the file; nothing is read until {@link #read()} or {@link #update}. */
  public static FileSsotStore open(Path file) {
    return new FileSsotStore(Objects.requireNonNull(file, "file"));
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
    // Keep the tree for a later update only when the caller will not change it.
    last.set(new Snapshot(bytes, forPatching ? new SsotCodec.Decoded(null, decoded.registry())
        : decoded));
    return decoded;
  }

  @Override
  public Registry update(Revision expected, UnaryOperator<Registry> change) {
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(change, "change");
    ensureOpen();
    Path target = canonical();
    return FileMutex.with(lockPath(target), () -> updateLocked(target, expected, change));
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
   * Applies {@code change} to the current content under the file lock, so it can never lose a
   * race: processes allocating at once queue on the lock instead of retrying compare-and-set
   * (twice the throughput with 8 processes, docs/benchmarks.md). Same semantics as the
   * default: the change sees the stored registry, and what it throws propagates.
   */
  @Override
  public Registry modify(UnaryOperator<Registry> change) {
    Objects.requireNonNull(change, "change");
    ensureOpen();
    Path target = canonical();
    return FileMutex.with(lockPath(target), () -> updateLocked(target, null, change));
  }

  /** The update under the lock; {@code expected} null means "whatever is stored now". */
  private Registry updateLocked(Path target, Revision expected, UnaryOperator<Registry> change) {
    byte[] current = readBytes(target);
    SsotCodec.Decoded decoded = decode(current, true);
    Registry before = decoded.registry();
    if (expected != null && !before.revision().equals(expected)) {
      throw new ConflictException("the registry changed since it was read (expected rev "
          + expected + ", found " + before.revision() + "): " + file, PROVIDER, 0, null);
    }
    Registry after = Objects.requireNonNull(change.apply(before), "change returned null");
    if (after.sameContent(before)) {
      return before;
    }
    // The encoder decodes what is about to be stored: the caller gets exactly what the next
    // read returns, and a change the format cannot represent fails here, before any write.
    SsotCodec.Encoded next = codec.rewrite(decoded, after);
    Path dir = target.getParent();
    String name = target.getFileName().toString();
    Path tmp = null;
    try {
      tmp = writeTemp(dir, name, next.bytes(), permissions(target));
      keepPrevious(target, dir.resolve(name + ".bak"), current);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      tmp = null;
      forceDirectory(dir);
      // The patched tree is exactly the new bytes' tree, and no one else holds it.
      last.set(new Snapshot(next.bytes(), new SsotCodec.Decoded(decoded.tree(), next.registry())));
      return next.registry();
    } catch (IOException e) {
      throw unavailable("could not write " + target, e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /**
   * Makes {@code bak} the file's current content before the rename replaces it. A hard link to
   * the current file costs no data write and no fsync of its own (that content is already on
   * disk; the directory fsync after the rename covers the new name); where links are not
   * supported, a copy is written and forced. A crash in between leaves no .bak or the old one,
   * never a torn one: both paths end in an atomic rename.
   */
  private static void keepPrevious(Path target, Path bak, byte[] current) throws IOException {
    Path dir = target.getParent();
    Path link = dir.resolve("." + bak.getFileName() + ".link-" + Long.toHexString(System.nanoTime()));
    try {
      Files.createLink(link, target);
      replaceAtomically(link, bak);
      return;
    } catch (UnsupportedOperationException | IOException e) {
      deleteQuietly(link);
    }
    replaceAtomically(writeTemp(dir, bak.getFileName().toString(), current, permissions(target)),
        bak);
  }

  /** Where the bytes really are: symlinks resolved, so the rename replaces the target. */
  private Path canonical() {
    try {
      return file.toRealPath();
    } catch (NoSuchFileException e) {
      throw notFound(e);
    } catch (IOException e) {
      throw unavailable("could not resolve " + file, e);
    }
  }

  private static Path lockPath(Path target) {
    return target.resolveSibling(target.getFileName() + ".lock");
  }

  private byte[] readBytes(Path path) {
    try {
      return Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw notFound(e);
    } catch (AccessDeniedException e) {
      throw unavailable("no permission to read " + path, e);
    } catch (IOException e) {
      throw unavailable("could not read " + path, e);
    }
  }

  /** Writes bytes to a new {@code .<name>.tmp-<random>} in dir, forced to disk. */
  private static Path writeTemp(Path dir, String name, byte[] bytes,
      Set<PosixFilePermission> perms) throws IOException {
    Path tmp = Files.createTempFile(dir, "." + name + ".tmp-", "");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      if (perms != null) {
        Files.setPosixFilePermissions(tmp, perms);
      }
      ch.force(true); // after the chmod, so the permissions are as durable as the bytes
      return tmp;
    } catch (IOException | RuntimeException e) {
      deleteQuietly(tmp);
      throw e;
    }
  }

  private static void replaceAtomically(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(tmp);
      throw e;
    }
  }

  private static Set<PosixFilePermission> permissions(Path target) throws IOException {
    if (Files.getFileAttributeView(target, PosixFileAttributeView.class) == null) {
      return null;
    }
    return Files.getPosixFilePermissions(target);
  }

  /** Makes the rename itself durable; some file systems refuse to fsync a directory. */
  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException ignored) {
      // Not supported here (e.g. Windows): the rename is still atomic, only less durable.
    }
  }

  private static void deleteQuietly(Path path) {
    if (path != null) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException ignored) {
        // Best effort: a leftover temp file is harmless and named so people recognise it.
      }
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  private NotFoundException notFound(IOException e) {
    return new NotFoundException("no SSOT registry at " + file + ": the file does not exist"
        + " (create it, or point CodeB at the right file)", PROVIDER, 0, e);
  }

  private static UnavailableException unavailable(String message, IOException e) {
    return new UnavailableException(message + ": " + e, PROVIDER, 0, e);
  }
}
