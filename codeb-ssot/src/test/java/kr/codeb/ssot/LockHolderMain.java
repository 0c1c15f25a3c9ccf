package kr.codeb.ssot;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Run in a separate JVM by the group commit tests: holds the exclusive OS lock on a lock file,
 * as a combiner in the middle of its write does, prints {@code locked}, and lets go when its
 * standard input closes.
 *
 * <p>{@code LockHolderMain LOCKFILE}
 */
public final class LockHolderMain {
  private LockHolderMain() {}

  public static void main(String[] args) throws IOException {
    try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
            StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      System.out.println("locked");
      System.out.flush();
      while (System.in.read() >= 0) {
        // Holds the lock until the test closes our standard input.
      }
    }
  }
}
