package kr.codeb.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.function.UnaryOperator;
import kr.codeb.ConflictException;
import kr.codeb.ProviderInfo;
import kr.codeb.Registry;
import kr.codeb.Revision;
import kr.codeb.SsotStore;
import kr.codeb.ssot.internal.FileMutex;
import kr.codeb.ssot.internal.SsotCodec;

/**
 * A WHAT-IF copy of FileSsotStore's write path, only to measure the changes recommended in
 * docs/benchmarks.md before anyone edits codeb-ssot. Not a product store (no permission
 * keeping, minimal errors). Same file format, same lock file, same temp-file + fsync + rename.
 *
 * <ul>
 *   <li>{@code lockedModify}: {@link #modify} reads, changes and writes while holding the file
 *       lock, so it can never lose a race (FileSsotStore's inherited modify reads outside the
 *       lock and retries the compare-and-set with random back-off).
 *   <li>{@code linkBak}: the previous content becomes {@code .bak} by a hard link of the old
 *       file (link + rename, no data written, no fsync) instead of a second fsynced temp file.
 * </ul>
 */
final class ProtoFileStore implements SsotStore {
  private final Path file;
  private final SsotCodec codec;
  private final boolean lockedModify;
  private final boolean linkBak;

  ProtoFileStore(Path file, boolean lockedModify, boolean linkBak) {
    this.file = file.toAbsolutePath().normalize();
    this.codec = new SsotCodec(this.file.toString());
    this.lockedModify = lockedModify;
    this.linkBak = linkBak;
  }

  @Override
  public ProviderInfo info() {
    return new ProviderInfo("file", file.toString());
  }

  @Override
  public Registry read() {
    return codec.read(bytes());
  }

  @Override
  public Registry update(Revision expected, UnaryOperator<Registry> change) {
    return FileMutex.with(lock(), () -> {
      byte[] current = bytes();
      Registry before = codec.read(current);
      if (!before.revision().equals(expected)) {
        throw new ConflictException("changed since read: " + file);
      }
      return write(current, before, change);
    });
  }

  @Override
  public Registry modify(UnaryOperator<Registry> change) {
    if (!lockedModify) {
      return SsotStore.super.modify(change);
    }
    return FileMutex.with(lock(), () -> {
      byte[] current = bytes();
      return write(current, codec.read(current), change);
    });
  }

  private Registry write(byte[] current, Registry before, UnaryOperator<Registry> change) {
    Registry after = Objects.requireNonNull(change.apply(before));
    if (after.sameContent(before)) {
      return before;
    }
    byte[] next = codec.write(current, after);
    Registry written = codec.read(next);
    Path dir = file.getParent();
    String name = file.getFileName().toString();
    try {
      Path tmp = temp(dir, name, next);
      Path bak = dir.resolve(name + ".bak");
      if (linkBak) {
        Path bakTmp = dir.resolve("." + name + ".bak-link-" + ProcessHandle.current().pid());
        Files.deleteIfExists(bakTmp);
        Files.createLink(bakTmp, file);
        Files.move(bakTmp, bak, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.move(temp(dir, name, current), bak, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
        ch.force(true);
      }
      return written;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path temp(Path dir, String name, byte[] bytes) throws IOException {
    Path tmp = Files.createTempFile(dir, "." + name + ".tmp-", "");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    return tmp;
  }

  private byte[] bytes() {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path lock() {
    return file.resolveSibling(file.getFileName() + ".lock");
  }

  @Override
  public void close() {}
}
