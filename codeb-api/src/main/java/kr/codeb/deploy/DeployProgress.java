package kr.codeb.deploy;

import java.time.Duration;

/** Hears what a deploy is doing, for a live progress line. Callbacks must be quick. */
public interface DeployProgress {
  DeployProgress SILENT = new DeployProgress() {};

  /** A step starts: {@code "running acme-production-green"}. */
  default void step(String description) {}

  /** One health probe: its number, the time since the gate started, what it saw. */
  default void healthAttempt(int attempt, Duration elapsed, String lastStatus) {}
}
