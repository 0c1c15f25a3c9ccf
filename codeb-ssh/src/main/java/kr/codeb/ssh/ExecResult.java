package kr.codeb.ssh;

import kr.codeb.InvalidRequestException;

/**
 * What a remote command left: its exit status and its output, stdout and stderr captured
 * separately (decoded as UTF-8). Each stream keeps at most {@link #MAX_CAPTURED_BYTES} bytes; the
 * rest is read and dropped (so the command never blocks on a full pipe) and the matching
 * {@code ...Truncated} flag is set.
 *
 * @param exitStatus the command's exit status, 0-255; {@link #KILLED_BY_SIGNAL} when it ended by a
 *     signal without one
 * @param stdout what the command wrote to stdout
 * @param stderr what the command wrote to stderr
 * @param stdoutTruncated whether stdout went over the limit and was cut
 * @param stderrTruncated whether stderr went over the limit and was cut
 */
public record ExecResult(
    int exitStatus, String stdout, String stderr, boolean stdoutTruncated, boolean stderrTruncated) {
  /** The most bytes kept of each stream: 4 MiB. */
  public static final int MAX_CAPTURED_BYTES = 4 * 1024 * 1024;
  /** The exit status reported for a command that ended by a signal. */
  public static final int KILLED_BY_SIGNAL = -1;

  public ExecResult {
    if (exitStatus < KILLED_BY_SIGNAL || exitStatus > 255) {
      throw new InvalidRequestException("exit status " + exitStatus + " is outside -1..255");
    }
    if (stdout == null || stderr == null) {
      throw new InvalidRequestException("stdout and stderr are required (empty when none)");
    }
  }

  /** Whether the command exited with status 0. */
  public boolean succeeded() {
    return exitStatus == 0;
  }

  /** Only the status and the sizes: a command's output may hold secrets. */
  @Override
  public String toString() {
    return "ExecResult[exitStatus=" + exitStatus + ", stdout=" + stdout.length() + " chars"
        + (stdoutTruncated ? " (truncated)" : "") + ", stderr=" + stderr.length() + " chars"
        + (stderrTruncated ? " (truncated)" : "") + "]";
  }
}
