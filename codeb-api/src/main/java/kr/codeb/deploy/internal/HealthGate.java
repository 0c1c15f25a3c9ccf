package kr.codeb.deploy.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import kr.codeb.deploy.DeployProgress;
import kr.codeb.deploy.HealthCheck;
import kr.codeb.deploy.HealthStatus;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.runtime.ContainerState;

/**
 * The deploy's health gate: probes the slot over HTTP until it answers 2xx or the deadline
 * passes. The engine can only veto: a container it reports as exited, dead or unhealthy fails
 * the gate at once; its own "healthy" is never enough (its interval is too slow to wait for).
 */
public final class HealthGate {
  /** The gate's verdict; {@code reason} is empty when it passed. */
  public record Verdict(boolean passed, Optional<String> reason, int attempts) {}

  private HealthGate() {}

  public static Verdict await(ContainerRuntime runtime, ContainerId container, URI url,
      HealthCheck check, DeployProgress progress) {
    long start = System.nanoTime();
    long deadline = start + check.deadline().toNanos();
    int attempt = 0;
    String last = "not probed yet";
    while (true) {
      attempt++;
      Optional<String> veto = engineVeto(runtime, container);
      if (veto.isPresent()) {
        // Keep what the probes saw: "unhealthy" alone hides a 404 on the health path.
        String seen = attempt > 1 ? " (last probe of " + url.getPath() + ": " + last + ")" : "";
        return new Verdict(false, Optional.of(veto.get() + seen), attempt);
      }
      HttpProbe.Answer answer = HttpProbe.get(url, check.attemptTimeout());
      last = answer.description();
      progress.healthAttempt(attempt, Duration.ofNanos(System.nanoTime() - start), last);
      if (answer.ok()) {
        return new Verdict(true, Optional.empty(), attempt);
      }
      if (answer.status() != 0 && answer.status() >= 400 && answer.status() < 500
          && answer.status() != 404 && answer.status() != 429) {
        // 404 and 429 can be a web server still starting; other 4xx will not heal by waiting.
        return new Verdict(false, Optional.of("health check " + url.getPath() + " answered "
            + last), attempt);
      }
      if (System.nanoTime() + check.interval().toNanos() > deadline) {
        return new Verdict(false, Optional.of("not healthy within " + check.deadline().toSeconds()
            + " s (" + attempt + " attempts, last: " + last + ")"), attempt);
      }
      sleep(check.interval());
    }
  }

  private static Optional<String> engineVeto(ContainerRuntime runtime, ContainerId id) {
    Optional<ContainerInfo> info = runtime.inspect(id);
    if (info.isEmpty()) {
      return Optional.of("the container disappeared");
    }
    ContainerState state = info.get().state();
    if (state == ContainerState.EXITED || state == ContainerState.DEAD) {
      return Optional.of("the container exited" + info.get().exitCode()
          .map(c -> " with code " + c).orElse(""));
    }
    if (state == ContainerState.RESTARTING) {
      return Optional.of("the container crashed and is being restarted" + info.get().exitCode()
          .map(c -> " (exit code " + c + ")").orElse(""));
    }
    if (info.get().health() == HealthStatus.UNHEALTHY) {
      return Optional.of("the engine reports the container unhealthy");
    }
    return Optional.empty();
  }

  /** Waits {@code d} between health tries; an interrupt ends the wait as unavailable. */
  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new kr.codeb.UnavailableException("interrupted while waiting for health", e);
    }
  }
}
