package kr.codeb.ssh.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The module's daemon threads: stream readers, watchdogs and the pool's idle sweeper. */
final class Threads {
  private static final ExecutorService WORKERS = Executors.newCachedThreadPool(named("codeb-ssh-io"));
  private static final ScheduledExecutorService TIMERS =
      Executors.newScheduledThreadPool(1, named("codeb-ssh-timer"));

  private Threads() {}

  static <T> Future<T> submit(Callable<T> task) {
    return WORKERS.submit(task);
  }

  static ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
    return TIMERS.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
  }

  static ScheduledFuture<?> every(Runnable task, long periodMillis) {
    return TIMERS.scheduleWithFixedDelay(task, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  static Thread daemon(String name, Runnable task) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    return t;
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
