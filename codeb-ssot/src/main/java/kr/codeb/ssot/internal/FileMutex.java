package kr.codeb.ssot.internal;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import kr.codeb.UnavailableException;

/**
 * Mutual exclusion on a lock file, across threads and processes. The JVM lock comes first
 * because a second {@code FileChannel.lock} from the same JVM throws instead of waiting.
 * The lock file is created if absent and never deleted (deleting it would let two processes
 * lock two different files). Every wait has a deadline ({@link #DEFAULT_WAIT} unless given):
 * a holder that is stuck (a frozen process, a lock taken by hand) fails the waiter with a
 * message naming the lock file and, when {@code /proc/locks} tells it, the holder.
 */
public final class FileMutex {
  private static final ConcurrentHashMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();
  /** How long a caller waits for a lock by default (a stuck holder must not hang it). */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
  /** The variable the file stores read a different wait from ({@code 2m}, {@code 90s}). */
  public static final String WAIT_VARIABLE = "CODEB_SSOT_LOCK_WAIT";
  private static final ScheduledExecutorService WATCHDOG = Executors
      .newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "codeb-lock-watchdog");
        t.setDaemon(true);
        return t;
      });

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
    return with(lockFile, DEFAULT_WAIT, body);
  }

  /** The same, waiting at most {@code wait} for the lock (see {@link #acquire(Path, Duration)}). */
  public static <T> T with(Path lockFile, Duration wait, Supplier<T> body) {
    try (Held held = acquire(lockFile, wait)) {
      return body.get();
    }
  }

  /** Waits for the lock file (at most {@link #DEFAULT_WAIT}) and holds it until closed. */
  public static Held acquire(Path lockFile) {
    return acquire(lockFile, DEFAULT_WAIT);
  }

  /**
   * Waits at most {@code wait} for the lock file {@code lockFile} and holds it until the result
   * is closed. Past the deadline: an {@link UnavailableException} naming the lock file, its
   * holder when the system tells it, and what to do.
   */
  public static Held acquire(Path lockFile, Duration wait) {
    return acquire(lockFile, deadline(wait), false);
  }

  /**
   * Waits until no process holds {@code lockFile} exclusively and holds it shared: any number
   * of processes at once, one thread per JVM (the JVM lock stays exclusive, because one JVM
   * cannot hold two overlapping file locks). For waiting on the end of an exclusive holder's
   * work without queueing behind the other waiters one by one. Waits until {@code deadline}
   * ({@link System#nanoTime()}) at most, as {@link #acquire(Path, Duration)}.
   */
  public static Held acquireShared(Path lockFile, Deadline deadline) {
    return acquire(lockFile, deadline, true);
  }

  /** The exclusive lock, waiting until {@code deadline} at most. */
  public static Held acquire(Path lockFile, Deadline deadline) {
    return acquire(lockFile, deadline, false);
  }

  /** A point in time to wait until, and how long the wait was allowed (for messages). */
  public record Deadline(long nanoTime, Duration allowed) {
    long remainingNanos() {
      return nanoTime - System.nanoTime();
    }
  }

  /** The deadline {@code wait} from now. */
  public static Deadline deadline(Duration wait) {
    if (wait == null || wait.isNegative() || wait.isZero()) {
      throw new IllegalArgumentException("a lock wait must be positive, not " + wait);
    }
    return new Deadline(System.nanoTime() + wait.toNanos(), wait);
  }

  private static Held acquire(Path lockFile, Deadline deadline, boolean shared) {
    Path key = key(lockFile);
    ReentrantLock local = localLock(key);
    try {
      if (!local.tryLock(Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS)) {
        throw timedOut(key, deadline, Optional.of("another thread of this process"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while waiting for the lock " + key, "file",
          0, e);
    }
    return awaitFileLock(key, local, deadline, shared);
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
    return Optional.ofNullable(lockFile(key, local));
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

  /** With the JVM lock held: the exclusive file lock, or null if it is taken. */
  private static Held lockFile(Path key, ReentrantLock local) {
    FileChannel channel = null;
    try {
      // READ too: a shared lock needs a channel open for reading.
      channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock(0L, Long.MAX_VALUE, false);
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

  /**
   * With the JVM lock held: the file lock at once when it is free; else waits for it in a
   * blocking lock call, which a watchdog interrupts at the deadline (a file lock wait has no
   * timeout of its own; the interrupt closes the channel and ends the wait).
   */
  private static Held awaitFileLock(Path key, ReentrantLock local, Deadline deadline,
      boolean shared) {
    FileChannel channel = null;
    Watch watch = new Watch(Thread.currentThread());
    ScheduledFuture<?> alarm = null;
    try {
      // READ too: a shared lock needs a channel open for reading.
      channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      if (channel.tryLock(0L, Long.MAX_VALUE, shared) != null) {
        watch.finish();
        return new Held(local, channel); // free: no watchdog needed
      }
      alarm = WATCHDOG.schedule(watch::expire, Math.max(0, deadline.remainingNanos()),
          TimeUnit.NANOSECONDS);
      channel.lock(0L, Long.MAX_VALUE, shared);
      if (watch.finish()) {
        Thread.interrupted(); // the alarm came just after the lock was taken: keep the lock
      }
      return new Held(local, channel);
    } catch (IOException | RuntimeException e) {
      boolean expired = watch.finish();
      closeQuietly(channel);
      local.unlock();
      if (expired) {
        Thread.interrupted(); // the watchdog's interrupt, not the caller's
        throw timedOut(key, deadline, LockHolders.of(key));
      }
      if (e instanceof ClosedByInterruptException) {
        Thread.currentThread().interrupt();
      }
      if (e instanceof IOException io) {
        throw new UnavailableException("cannot lock " + key + ": " + e.getMessage(), "file", 0,
            io);
      }
      throw (RuntimeException) e;
    } finally {
      if (alarm != null) {
        alarm.cancel(false);
      }
    }
  }

  private static UnavailableException timedOut(Path key, Deadline deadline,
      Optional<String> holder) {
    return new UnavailableException("the lock " + key + " is held by "
        + holder.orElse("another process") + " and was not let go within "
        + deadline.allowed().toString().substring(2).toLowerCase(java.util.Locale.ROOT)
        + ": if that holder is stuck, end it; else let it finish; then run the same command"
        + " again (" + WAIT_VARIABLE + " sets how long to wait, e.g. 2m)", "file", 0, null);
  }

  /** The thread waiting for a file lock, and whether its deadline has passed. */
  private static final class Watch {
    private final Thread waiter;
    private boolean finished;
    private boolean expired;

    Watch(Thread waiter) {
      this.waiter = waiter;
    }

    synchronized void expire() {
      if (!finished) {
        expired = true;
        waiter.interrupt();
      }
    }

    /** Ends the watch; whether the watchdog interrupted the waiter. */
    synchronized boolean finish() {
      finished = true;
      return expired;
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
