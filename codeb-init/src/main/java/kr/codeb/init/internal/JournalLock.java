package kr.codeb.init.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Set;
import kr.codeb.ConflictException;
import kr.codeb.UnavailableException;
import kr.codeb.deploy.LockHolder;

/**
 * One project's init/destroy lock: an operating-system lock on {@code <project>-<env>.lock}
 * beside the journal, so that two runs of the same project and environment cannot interleave.
 * It is never waited for (the second run fails at once, naming the holder) and never goes
 * stale: the system drops it when the holding process ends, however it ends. The file stays
 * (removing a lock file races with the next taker); it holds only who last took it.
 */
public final class JournalLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private JournalLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock on {@code file} for {@code what} (e.g. {@code init of acme production}).
   *
   * @throws ConflictException when another process, or another run in this one, holds it
   */
  public static JournalLock take(Path file, String what) {
    FileChannel ch = null;
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      if (Files.isSymbolicLink(file)) {
        throw new UnavailableException("the init lock " + file + " is a symbolic link; remove it");
      }
      ch = Files.exists(file, LinkOption.NOFOLLOW_LINKS)
          ? FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)
          : FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
              StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(
                  PosixFilePermissions.fromString("rw-------")));
      FileLock got;
      try {
        got = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        got = null;
      }
      if (got == null) {
        String holder = holder(ch);
        ch.close();
        throw new ConflictException("another we init or destroy of " + what + " is running ("
            + (holder.isEmpty() ? "holder unknown" : holder) + "; lock " + file + "): let it"
            + " finish, then run the same command again");
      }
      ch.truncate(0);
      ch.write(ByteBuffer.wrap((LockHolder.describe(System.getProperty("user.name", "unknown"))
          + " since " + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
      return new JournalLock(ch, got);
    } catch (IOException e) {
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw new UnavailableException("cannot take the init lock " + file + ": " + e.getMessage(),
          e);
    }
  }

  /** Who wrote the lock file last (the holder, when it is held); at most one short line. */
  private static String holder(FileChannel ch) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(512);
    ch.read(buf, 0);
    String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
    int nl = text.indexOf('\n');
    return (nl < 0 ? text : text.substring(0, nl)).replaceAll("\\p{Cntrl}", "?");
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // Closing the channel below releases it as well.
    }
    try {
      channel.close();
    } catch (IOException e) {
      throw new UnavailableException("cannot close the init lock: " + e.getMessage(), e);
    }
  }
}
