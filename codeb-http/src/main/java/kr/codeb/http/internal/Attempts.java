package kr.codeb.http.internal;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import kr.codeb.CodeBException;
import kr.codeb.RateLimitedException;
import kr.codeb.UnavailableException;
import kr.codeb.http.ApiAnswer;
import kr.codeb.http.ApiCall;
import kr.codeb.http.ApiSettings;

/**
 * The attempts of one call, on resilience4j's {@link Retry}: which failures are tried again,
 * after which pause, and within which budget (see {@code ApiClient}). An optional rate limiter
 * holds the attempts back to the API's pace, letting short bursts through ({@link #burst}).
 */
public final class Attempts {
  private final ApiSettings settings;
  private final Retry retry;
  private final RateLimiter limiter;

  /** What one attempt gave: an answer, or a failure with what is known about it. */
  public record Outcome(ApiAnswer answer, CodeBException failure, boolean notSent,
      Optional<Duration> retryAfter) {
    public static Outcome answered(ApiAnswer answer) {
      return new Outcome(Objects.requireNonNull(answer), null, false, Optional.empty());
    }

    /** {@code notSent}: the request certainly never left (the connection was refused). */
    public static Outcome failed(CodeBException failure, boolean notSent,
        Optional<Duration> retryAfter) {
      return new Outcome(null, Objects.requireNonNull(failure), notSent, retryAfter);
    }
  }

  /** A failed attempt, as resilience4j sees it: whether to try again and after how long. */
  private static final class Failed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient CodeBException failure;
    final boolean again;
    final long pauseMillis;

    Failed(CodeBException failure, boolean again, long pauseMillis) {
      super(null, null, false, false);
      this.failure = failure;
      this.again = again;
      this.pauseMillis = pauseMillis;
    }
  }

  public Attempts(ApiSettings settings) {
    this.settings = settings;
    IntervalBiFunction<Object> pause = (attempt, outcome) ->
        outcome.isLeft() && outcome.getLeft() instanceof Failed f ? f.pauseMillis : 0L;
    this.retry = Retry.of(settings.provider(), RetryConfig.custom()
        .maxAttempts(settings.attempts())
        .retryOnException(t -> t instanceof Failed f && f.again)
        .intervalBiFunction(pause)
        .build());
    this.limiter = settings.requestsPerSecond() == 0 ? null
        : RateLimiter.of(settings.provider(), RateLimiterConfig.custom()
            .limitForPeriod(burst(settings.requestsPerSecond()))
            .limitRefreshPeriod(burstPeriod(settings.requestsPerSecond()))
            .timeoutDuration(Duration.ofMinutes(2))
            .build());
  }

  /**
   * How many attempts may leave at once: a fifth of the rate. A command's few calls in a row
   * (list, then add two rules) then leave without a pause each, while any one second still
   * holds at most the rate plus one burst (25/s: bursts of 5 every 200 ms, at most 30 in any
   * second, Vultr's limit).
   */
  static int burst(int perSecond) {
    return Math.max(1, perSecond / 5);
  }

  /** The period in which one burst may leave, so that bursts keep to {@code perSecond}. */
  static Duration burstPeriod(int perSecond) {
    return Duration.ofNanos(1_000_000_000L * burst(perSecond) / perSecond);
  }

  /** Runs {@code attempt} (given its number, from 1) until it answers or may not be tried again. */
  public ApiAnswer run(ApiCall call, IntFunction<Outcome> attempt) {
    long started = System.nanoTime();
    long deadline = started + settings.retryBudget().toNanos();
    AtomicInteger tries = new AtomicInteger();
    try {
      return retry.executeCheckedSupplier(() -> {
        int n = tries.incrementAndGet();
        pace(call);
        Outcome outcome = attempt.apply(n);
        if (outcome.answer() != null) {
          return outcome.answer();
        }
        throw decide(call, outcome, n, deadline);
      });
    } catch (Failed f) {
      throw withTries(f.failure, tries.get(), started);
    } catch (CodeBException e) {
      throw e;
    } catch (Throwable t) {
      throw new UnavailableException(settings.name() + " call " + call.what() + " failed: "
          + t.getClass().getSimpleName(), settings.provider(), 0, t);
    }
  }

  private Failed decide(ApiCall call, Outcome outcome, int attempt, long deadline) {
    CodeBException failure = outcome.failure();
    boolean repeatable = failure.isRetryable() && (call.idempotent() || outcome.notSent());
    long pause = pauseMillis(attempt, outcome.retryAfter());
    boolean asksTooMuch = outcome.retryAfter().isPresent()
        && outcome.retryAfter().get().compareTo(settings.longestPause()) > 0;
    boolean inTime = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause) <= deadline;
    return new Failed(failure, repeatable && !asksTooMuch && inTime
        && attempt < settings.attempts(), pause);
  }

  /** {@code Retry-After} when given, else the first pause doubled per attempt plus jitter. */
  long pauseMillis(int attempt, Optional<Duration> retryAfter) {
    long cap = settings.longestPause().toMillis();
    if (retryAfter.isPresent()) {
      return Math.min(cap, retryAfter.get().toMillis());
    }
    long base = settings.firstPause().toMillis() << Math.min(Math.max(attempt - 1, 0), 16);
    long jitter = ThreadLocalRandom.current().nextLong(base / 5 + 1);
    return Math.min(cap, base + jitter);
  }

  private void pace(ApiCall call) {
    if (limiter != null && !limiter.acquirePermission()) {
      throw new Failed(new RateLimitedException("waited too long for CodeB's own limit of "
          + settings.requestsPerSecond() + " requests per second to " + settings.name()
          + " before " + call.what(), settings.provider(), 0, null), false, 0);
    }
  }

  /** A retryable failure says how hard CodeB tried: "(3 attempts over 1.2 s)". */
  private static CodeBException withTries(CodeBException e, int tries, long started) {
    String said = e.getMessage() + " (" + tries + (tries == 1 ? " attempt" : " attempts")
        + " over " + elapsed(started) + ")";
    String provider = e.provider().orElse(null);
    int status = e.httpStatus().orElse(0);
    if (e instanceof UnavailableException) {
      return new UnavailableException(said, provider, status, e.getCause());
    }
    if (e instanceof RateLimitedException) {
      return new RateLimitedException(said, provider, status, e.getCause());
    }
    return e;
  }

  private static String elapsed(long started) {
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    return ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
