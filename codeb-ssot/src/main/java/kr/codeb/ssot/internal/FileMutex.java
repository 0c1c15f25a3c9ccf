package kr.codeb.ssot.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
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

  /** The held lock; closing it releases the file lock, then the JVM lock. */
  public static final class Held implements AutoCloseable {
    private final ReentrantLock local;
    private final FileChannel channel;

    private Held(ReentrantLock local, FileChannel channel) {
      this.local = local;
      this.channel = channel;
    }

    @Override
    public void close() {
      try {
        channel.close(); // releases the OS lock
      } catch (IOException ignored) {
        // The lock goes with the descriptor; a failed close cannot keep it.
      } finally {
        local.unlock();
      }
    }
  }

  /** Runs {@code body} while holding the lock file {@code lockFile} exclusively. */
  public static <T> T with(Path lockFile, Supplier<T> body) {
    try (Held held = acquire(lockFile)) {
      return body.get();
    }
  }

  /** Waits for the lock file {@code lockFile} and holds it until the result is closed. */
  public static Held acquire(Path lockFile) {
    Path key = key(lockFile);
    ReentrantLock local = localLock(key);
    local.lock();
    return lockFile(key, local, true, false);
  }

  /**
   * Waits until no process holds {@code lockFile} exclusively and holds it shared: any number
   * of processes at once, one thread per JVM (the JVM lock stays exclusive, because one JVM
   * cannot hold two overlapping file locks). For waiting on the end of an exclusive holder's
   * work without queueing behind the other waiters one by one.
   */
  public static Held acquireShared(Path lockFile) {
    Path key = key(lockFile);
    ReentrantLock local = localLock(key);
    local.lock();
    return lockFile(key, local, true, true);
  }

  /**
   * The lock if it is free at once, within this JVM and across processes; empty without
   * waiting if anyone holds it.
   */
  public static Optional<Held> tryAcquire(Path lockFile) {
    Path key = key(lockFile);
    ReentrantLock local = localLock(key);
    if (!local.tryLock()) {
      return Optional.empty();
    }
    return Optional.ofNullable(lockFile(key, local, false, false));
  }

  private static Path key(Path lockFile) {
    return lockFile.toAbsolutePath().normalize();
  }

  private static ReentrantLock localLock(Path key) {
    ReentrantLock local = IN_JVM.computeIfAbsent(key, k -> new ReentrantLock());
    if (local.isHeldByCurrentThread()) {
      // The file lock is not reentrant: a nested call would throw or deadlock further down.
      throw new IllegalStateException("the lock " + key + " is already held by this thread:"
          + " code running under it must not take it again");
    }
    return local;
  }

  /** With the JVM lock held: the file lock, or null if {@code wait} is false and it is taken. */
  private static Held lockFile(Path key, ReentrantLock local, boolean wait, boolean shared) {
    FileChannel channel = null;
    try {
      // READ too: a shared lock needs a channel open for reading.
      channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock = wait ? channel.lock(0L, Long.MAX_VALUE, shared)
          : channel.tryLock(0L, Long.MAX_VALUE, shared);
      if (lock == null) {
        closeQuietly(channel);
        local.unlock();
        return null;
      }
      return new Held(local, channel);
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      local.unlock();
      if (e instanceof IOException io) {
        throw new UnavailableException("cannot lock " + key + ": " + e.getMessage(), "file", 0,
            io);
      }
      throw (RuntimeException) e;
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Nothing held yet that a failed close could keep.
      }
    }
  }
}
