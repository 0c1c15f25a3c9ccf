package kr.codeb.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code we} in a JVM of its own (the test's class path, {@link Main}), so a test can kill it
 * with SIGKILL in the middle of a command, as a crash or an OOM killer would. Both output
 * streams are read line by line as they come; {@link #awaitLine} waits for a line matching a
 * pattern (the command's progress) on either.
 */
final class WeProcess implements AutoCloseable {
  private final Process process;
  private final List<String> out = new ArrayList<>();
  private final List<String> err = new ArrayList<>();
  private final Thread outReader;
  private final Thread errReader;

  private WeProcess(Process process) {
    this.process = process;
    outReader = reader(process.getInputStream(), out);
    errReader = reader(process.getErrorStream(), err);
  }

  /** Starts {@code we ARGS} with this JVM's environment plus {@code env}. */
  static WeProcess start(Map<String, String> env, List<String> args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        Main.class.getName()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("CODEB_DAEMON");
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      return new WeProcess(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Thread reader(InputStream stream, List<String> into) {
    Thread t = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream,
          StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          synchronized (this) {
            into.add(line);
            notifyAll();
          }
        }
      } catch (IOException e) {
        synchronized (this) {
          into.add("[reading the output failed: " + e + "]");
          notifyAll();
        }
      }
    }, "we-output");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Waits until a line of stdout or stderr matches; false when the process ended or the time ran
   * out first.
   */
  synchronized boolean awaitLine(Pattern pattern, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seenOut = 0;
    int seenErr = 0;
    while (true) {
      for (; seenOut < out.size(); seenOut++) {
        if (pattern.matcher(out.get(seenOut)).find()) {
          return true;
        }
      }
      for (; seenErr < err.size(); seenErr++) {
        if (pattern.matcher(err.get(seenErr)).find()) {
          return true;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0 || (!process.isAlive() && !outReader.isAlive() && !errReader.isAlive())) {
        return false;
      }
      try {
        wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** SIGKILL: no shutdown hook, no finally block of {@code we} runs. */
  void kill9() {
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(30));
  }

  long pid() {
    return process.pid();
  }

  /** Waits for the exit and both streams' end; the exit code (137 after {@link #kill9}). */
  int waitFor(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("we did not end within " + timeout + "; output so far:\n"
            + out() + "\nstderr:\n" + err());
      }
      outReader.join(5000);
      errReader.join(5000);
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  synchronized String out() {
    return String.join("\n", out);
  }

  synchronized String err() {
    return String.join("\n", err);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
