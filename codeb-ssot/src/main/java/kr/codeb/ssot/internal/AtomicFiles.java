package kr.codeb.ssot.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Replacing files so that a reader or a crash sees the old content or the new, never a torn
 * one: write a temporary file in the same folder, then rename it over the target.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Replaces {@code target} with {@code bytes}, durably: the temporary file is forced to disk
   * before the rename and the folder after it. The previous content stays as {@code bak}
   * (see {@link #keepPrevious}). {@code perms} (null: the default) are set before the force.
   */
  public static void replaceDurably(Path target, Path bak, byte[] bytes, byte[] current,
      Set<PosixFilePermission> perms) throws IOException {
    Path dir = target.getParent();
    Path tmp = null;
    try {
      tmp = writeTemp(dir, target.getFileName().toString(), bytes, perms, true);
      keepPrevious(target, bak, current, perms);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      tmp = null;
      forceDirectory(dir);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /**
   * Creates {@code target} (or replaces it, keeping no backup) with {@code bytes}, durably: the
   * temporary file is forced before the rename and the folder after it.
   */
  public static void writeDurably(Path target, byte[] bytes, Set<PosixFilePermission> perms)
      throws IOException {
    Path tmp = writeTemp(target.getParent(), target.getFileName().toString(), bytes, perms, true);
    try {
      replaceAtomically(tmp, target);
      tmp = null;
      forceDirectory(target.getParent());
    } finally {
      deleteQuietly(tmp);
    }
  }

  /**
   * Writes {@code target} through a temporary file and a rename, without forcing anything to
   * disk: atomic for readers, not durable across a power loss (for the group commit's queue,
   * whose files are re-created or re-applied when lost).
   */
  public static void replaceQuickly(Path target, byte[] bytes, Set<PosixFilePermission> perms)
      throws IOException {
    Path tmp = writeTemp(target.getParent(), target.getFileName().toString(), bytes, perms,
        false);
    replaceAtomically(tmp, target);
  }

  /**
   * Makes {@code bak} the file's current content before the rename replaces it. A hard link to
   * the current file costs no data write and no fsync of its own (that content is already on
   * disk; the directory fsync after the rename covers the new name); where links are not
   * supported, a copy is written and forced. A crash in between leaves no .bak or the old one,
   * never a torn one: both paths end in an atomic rename.
   */
  private static void keepPrevious(Path target, Path bak, byte[] current,
      Set<PosixFilePermission> perms) throws IOException {
    Path dir = target.getParent();
    Path link = dir.resolve("." + bak.getFileName() + ".link-" + Long.toHexString(System.nanoTime()));
    try {
      Files.createLink(link, target);
      replaceAtomically(link, bak);
      return;
    } catch (UnsupportedOperationException | IOException e) {
      deleteQuietly(link);
    }
    replaceAtomically(writeTemp(dir, bak.getFileName().toString(), current, perms, true), bak);
  }

  /** Writes bytes to a new {@code .<name>.tmp-<random>} in dir, forced to disk if asked. */
  private static Path writeTemp(Path dir, String name, byte[] bytes,
      Set<PosixFilePermission> perms, boolean force) throws IOException {
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
      if (force) {
        ch.force(true); // after the chmod, so the permissions are as durable as the bytes
      }
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

  /** The file's POSIX permissions, or null where the file system has none. */
  public static Set<PosixFilePermission> permissions(Path target) throws IOException {
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

  /** Deletes if present; a failure is ignored (callers use it for leftovers only). */
  public static void deleteQuietly(Path path) {
    if (path != null) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException ignored) {
        // Best effort: a leftover temp file is harmless and named so people recognise it.
      }
    }
  }
}
