package kr.codeb.ssot.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import kr.codeb.UnavailableException;

/**
 * Mutual exclusion on a lock file, across threads and processes. The JVM lock comes first
 * because a second {@code FileChannel.lock} from the same JVM throws instead of waiting.
 * The lock file is created if absent and never deleted (deleting it would let two processes
 * lock two different files).
 */
public final class FileMutex {
  private static final ConcurrentHashMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

  private FileMutex() {}

  /** Runs {@code body} while holding the lock file {@code lockFile} exclusively. */
  public static <T> T with(Path lockFile, Supplier<T> body) {
    Path key = lockFile.toAbsolutePath().normalize();
    ReentrantLock local = IN_JVM.computeIfAbsent(key, k -> new ReentrantLock());
    if (local.isHeldByCurrentThread()) {
      // The file lock is not reentrant: a nested call would throw or deadlock further down.
      throw new IllegalStateException("the lock " + key + " is already held by this thread:"
          + " code running under it must not take it again");
    }
    local.lock();
    try (FileChannel channel = FileChannel.open(key, StandardOpenOption.CREATE,
            StandardOpenOption.WRITE)) {
      channel.lock(); // released when the channel closes, also if the body throws
      return body.get();
    } catch (IOException e) {
      throw new UnavailableException("cannot lock " + key + ": " + e.getMessage(), "file", 0, e);
    } finally {
      local.unlock();
    }
  }
}
