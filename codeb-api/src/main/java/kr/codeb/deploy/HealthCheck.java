package kr.codeb.deploy;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.proxy.Upstream;

/**
 * How the deploy gate decides a slot is healthy: HTTP GET of {@code path} on the slot's host
 * port, every {@code interval}, each attempt bounded by {@code attemptTimeout}, until a 2xx
 * answer or {@code deadline}. A container the engine reports as exited or unhealthy fails at
 * once, without waiting for the deadline.
 */
public record HealthCheck(String path, Duration interval, Duration attemptTimeout,
    Duration deadline) {
  /** The path the gate probes unless told otherwise. */
  public static final String DEFAULT_PATH = "/health";

  public HealthCheck {
    if (path == null || !path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c == 127)) {
      throw new InvalidRequestException("invalid health path " + Checks.quote(path)
          + ": it must start with '/' and contain no spaces (e.g. /health)");
    }
    requirePositive("health interval", interval);
    requirePositive("health attempt timeout", attemptTimeout);
    requirePositive("health timeout", deadline);
    // One attempt never outlasts the whole gate.
    attemptTimeout = attemptTimeout.compareTo(deadline) > 0 ? deadline : attemptTimeout;
  }

  /** GET {@code path}, every 100 ms, 2 s per attempt, for up to 60 s. */
  public static HealthCheck http(String path) {
    return new HealthCheck(path, Duration.ofMillis(100), Duration.ofSeconds(2),
        Duration.ofSeconds(60));
  }

  /** The URL the gate probes on a slot published at {@code slot}. */
  public URI url(Upstream slot) {
    return URI.create("http://" + slot.dial() + path);
  }

  public HealthCheck withDeadline(Duration newDeadline) {
    return new HealthCheck(path, interval, attemptTimeout, newDeadline);
  }

  public HealthCheck withInterval(Duration newInterval) {
    return new HealthCheck(path, newInterval, attemptTimeout, deadline);
  }

  private static void requirePositive(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new InvalidRequestException(what + " must be positive, got " + d);
    }
  }
}
