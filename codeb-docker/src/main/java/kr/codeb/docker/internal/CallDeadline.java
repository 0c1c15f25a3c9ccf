package kr.codeb.docker.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import kr.codeb.UnavailableException;

/**
 * A deadline for one engine call that has no stream to wait on: docker-java's Unix-socket
 * transport ignores socket timeouts (its socket is a blocking {@code SocketChannel}), so a
 * frozen engine, or one behind a stalled SSH bridge, would keep a call waiting forever. At the
 * deadline a watchdog interrupts the calling thread, which closes the channel it is blocked on
 * (an {@code InterruptibleChannel}) and ends the call; {@link #within} then throws
 * {@link Expired}, with the interrupt cleared. A plain TCP socket is not interruptible: there
 * the transport's response timeout ends the call, and it is reported the same way.
 */
final class CallDeadline {
  private static final ScheduledExecutorService WATCHDOG = Executors
      .newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "codeb-engine-call-watchdog");
        t.setDaemon(true);
        return t;
      });

  private CallDeadline() {}

  /** The call did not end within its deadline; its own failure, if any, is the cause. */
  static final class Expired extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Expired(Throwable cause) {
      super("the call did not end within its deadline", cause);
    }
  }

  /** Runs {@code body} on this thread, cut at {@code limit}. */
  static <T> T within(Duration limit, Supplier<T> body) {
    Watch watch = new Watch(Thread.currentThread());
    ScheduledFuture<?> alarm = WATCHDOG.schedule(watch::expire, limit.toNanos(),
        TimeUnit.NANOSECONDS);
    T result;
    try {
      result = body.get();
    } catch (RuntimeException | Error e) {
      if (watch.finish()) {
        Thread.interrupted(); // the watchdog's interrupt, not the caller's
        throw new Expired(e);
      }
      throw e;
    } finally {
      alarm.cancel(false);
    }
    if (watch.finish()) {
      // Answered just as the alarm went off: keep the answer, drop the interrupt.
      Thread.interrupted();
    }
    return result;
  }

  /**
   * {@code body}, a call to {@code dialect}'s engine, cut at {@code limit}: past it, an
   * {@link UnavailableException} naming the engine ({@code where}, asked then), what it was
   * doing and how to wait longer. Other failures are thrown as they are.
   */
  static <T> T within(EngineDialect dialect, Supplier<String> where, String what, Duration limit,
      Supplier<T> body) {
    try {
      return within(limit, body);
    } catch (Expired e) {
      throw new UnavailableException("the " + dialect.provider() + " engine at " + where.get()
          + " did not answer within " + shown(limit) + " while " + what + "; it may be frozen or"
          + " overloaded (call-timeout= on the runtime URI, or "
          + dialect.callTimeoutVariable() + ", waits longer)", dialect.provider(), 0,
          e.getCause());
    }
  }

  /** {@code 0.6s}, {@code 20s}, {@code 2m}: a limit as messages show it. */
  static String shown(Duration limit) {
    return limit.toString().substring(2).toLowerCase(Locale.ROOT);
  }

  /** The calling thread, and whether its deadline has passed. */
  private static final class Watch {
    private final Thread caller;
    private boolean finished;
    private boolean expired;

    Watch(Thread caller) {
      this.caller = caller;
    }

    synchronized void expire() {
      if (!finished) {
        expired = true;
        caller.interrupt();
      }
    }

    /** Ends the watch; whether the watchdog interrupted the caller. */
    synchronized boolean finish() {
      finished = true;
      return expired;
    }
  }
}
