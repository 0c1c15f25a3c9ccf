package kr.codeb.cli.internal;

import java.io.PrintStream;
import java.time.Duration;
import kr.codeb.deploy.DeployProgress;

/**
 * Shows what a deploy does on stderr. On a terminal, one live line redrawn with {@code \r};
 * otherwise (CI logs, pipes) plain lines, health attempts throttled to one line when the
 * status changes or every 5 seconds. Never prints environment values (the library never
 * passes them here).
 */
final class ProgressPrinter implements DeployProgress {
  private static final long PLAIN_EVERY_NANOS = Duration.ofSeconds(5).toNanos();

  private final PrintStream err;
  private final boolean terminal;
  private int drawn;
  private String lastStatus;
  private long lastPrinted;

  ProgressPrinter(PrintStream err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  @Override
  public synchronized void step(String description) {
    lastStatus = null;
    show(description, true);
  }

  @Override
  public synchronized void healthAttempt(int attempt, Duration elapsed, String status) {
    String line = "health attempt " + attempt + " after " + DurationConverter.human(elapsed)
        + ": " + status;
    if (terminal) {
      show(line, false);
      return;
    }
    long now = System.nanoTime();
    if (!status.equals(lastStatus) || now - lastPrinted >= PLAIN_EVERY_NANOS) {
      lastStatus = status;
      lastPrinted = now;
      err.println("  " + line);
    }
  }

  /** Ends the live line, so what follows starts on a line of its own. */
  synchronized void finish() {
    if (terminal && drawn > 0) {
      err.println();
      drawn = 0;
    }
  }

  private void show(String line, boolean step) {
    if (!terminal) {
      err.println(step ? "we: " + line : "  " + line);
      return;
    }
    String text = "we: " + line;
    int pad = Math.max(0, drawn - text.length());
    err.print("\r" + text + " ".repeat(pad));
    err.flush();
    drawn = text.length();
  }
}
