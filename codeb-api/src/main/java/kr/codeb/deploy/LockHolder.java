package kr.codeb.deploy;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who holds a deploy lock, as written into it: {@code <actor> pid <pid> on <host> started
 * <process start time>}, and whether that holder still runs. On the host that wrote it, a
 * holder is alive when a process with its pid exists and started at the recorded time (so a
 * reused pid does not count); on another host it cannot be told.
 *
 * <p>A lock whose holder is dead is <em>stale</em>. The next deploy does not take it over: it
 * fails naming the dead holder and {@code we lock break}, because a half-done deploy may have
 * left its slot in a state a person should look at first.
 */
public final class LockHolder {
  private static final Pattern PROCESS =
      Pattern.compile(" pid (\\d{1,10}) on (\\S+) started (\\S+)$");

  /** Whether a lock's holder runs. */
  public enum Liveness {
    /** Same host, the process runs and started when the lock says. */
    ALIVE,
    /** Same host, and no process with that pid and start time runs: the lock is stale. */
    DEAD,
    /** Written on another host: cannot be checked from here. */
    OTHER_HOST,
    /** Written without a pid (an older lock, or another tool). */
    UNKNOWN
  }

  private LockHolder() {}

  /** This process as a lock holder acting for {@code actor}. */
  public static String describe(String actor) {
    ProcessHandle self = ProcessHandle.current();
    return actor + " pid " + self.pid() + " on " + Actor.host() + " started "
        + self.info().startInstant().map(Instant::toString).orElse("unknown");
  }

  /** Whether the process named in {@code holder} still runs (see the class comment). */
  public static Liveness liveness(String holder) {
    Matcher m = PROCESS.matcher(holder);
    if (!m.find()) {
      return Liveness.UNKNOWN;
    }
    if (!m.group(2).equals(Actor.host())) {
      return Liveness.OTHER_HOST;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(m.group(1)));
    if (process.isEmpty() || !process.get().isAlive()) {
      return Liveness.DEAD;
    }
    String started = process.get().info().startInstant().map(Instant::toString).orElse("unknown");
    return started.equals(m.group(3)) ? Liveness.ALIVE : Liveness.DEAD;
  }

  /** For people: why the lock is or is not stale; empty when that cannot be told. */
  public static Optional<String> explain(String holder) {
    Matcher m = PROCESS.matcher(holder);
    String pid = m.find() ? m.group(1) : "";
    return switch (liveness(holder)) {
      case ALIVE -> Optional.of("the holder (pid " + pid + ") is running on this host");
      case DEAD -> Optional.of("stale: the holder (pid " + pid + ") no longer runs on this host");
      case OTHER_HOST, UNKNOWN -> Optional.empty();
    };
  }
}
