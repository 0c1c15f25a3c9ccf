package kr.codeb.runtime;

import java.util.Objects;

/**
 * What a one-off container did ({@link ContainerRuntime#runOnce}).
 *
 * @param exitCode the command's exit code; -1 when it timed out (it was killed)
 * @param output the last lines it wrote (stdout and stderr interleaved)
 * @param timedOut whether it was still running at the timeout
 */
public record OneOffResult(int exitCode, String output, boolean timedOut) {
  public OneOffResult {
    Objects.requireNonNull(output, "output");
  }

  /** Whether it ended by itself with exit code 0. */
  public boolean succeeded() {
    return !timedOut && exitCode == 0;
  }
}
