package kr.codeb.deploy.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kr.codeb.UnavailableException;
import kr.codeb.deploy.DeployHooks;
import kr.codeb.deploy.DeployProgress;
import kr.codeb.deploy.DeployRequest;
import kr.codeb.model.Slot;

/**
 * Runs a local hook script on this machine (see {@link DeployHooks}): {@code CODEB_*} variables
 * describe the release, the release's environment is never passed, and the output goes to the
 * deploy's progress line by line, redacted, as it is written.
 */
final class LocalHookRunner {
  private static final long OUTPUT_END_MILLIS = 2_000;

  private final DeployRequest request;
  private final DeployHooks hooks;
  private final DeployProgress progress;
  private final EnvRedaction redaction;

  LocalHookRunner(DeployRequest request, DeployHooks hooks, DeployProgress progress,
      EnvRedaction redaction) {
    this.request = request;
    this.hooks = hooks;
    this.progress = progress;
    this.redaction = redaction;
  }

  /** The {@code CODEB_*} variables a local hook gets. */
  static Map<String, String> variables(DeployRequest request, String hook, String release,
      Slot slot, int port) {
    return Map.of("CODEB_HOOK", hook, "CODEB_PROJECT", request.key().project().value(),
        "CODEB_ENV", request.key().environment().name(), "CODEB_RELEASE", release,
        "CODEB_SLOT", slot.id(), "CODEB_PORT", Integer.toString(port),
        "CODEB_IMAGE", request.image(), "CODEB_ACTOR", request.actor());
  }

  HookRunner.Outcome run(String hook, Path script, String release, Slot slot, int port) {
    String which = "local " + hook;
    progress.step("running the " + which + " hook " + script + " (timeout "
        + hooks.timeout().toSeconds() + " s)");
    ProcessBuilder builder = new ProcessBuilder(List.of(script.toString()))
        .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(nullFile()));
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("CODEB_"));
    env.putAll(variables(request, hook, release, slot, port));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      String summary = "the " + which + " hook " + script + " could not start: " + e.getMessage();
      return new HookRunner.Outcome(false, redaction.apply(summary), "");
    }
    Deque<String> tail = new ArrayDeque<>();
    Thread reader = new Thread(() -> pass(process, which, tail), "codeb-local-hook");
    reader.setDaemon(true);
    reader.start();
    boolean ended;
    try {
      ended = process.waitFor(hooks.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while the " + which + " hook ran", "local", 0,
          e);
    }
    if (!ended) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    try {
      reader.join(OUTPUT_END_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String output;
    synchronized (tail) {
      output = String.join("\n", tail) + (tail.isEmpty() ? "" : "\n");
    }
    String summary = ended
        ? "the " + which + " hook exited with " + process.exitValue()
        : "the " + which + " hook was still running after " + hooks.timeout().toSeconds()
            + " s and was killed";
    return new HookRunner.Outcome(ended && process.exitValue() == 0, summary, output);
  }

  /** Passes each output line on (redacted) and keeps the last ones for the result. */
  private void pass(Process process, String which, Deque<String> tail) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String clean = redaction.apply(line);
        synchronized (tail) {
          tail.addLast(clean);
          if (tail.size() > HookRunner.OUTPUT_LINES) {
            tail.removeFirst();
          }
        }
        if (!clean.isBlank()) {
          progress.step(which + ": " + clean);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // The stream closes when the process is killed: what was read is kept.
      progress.step(which + ": (output ended: " + e.getMessage() + ")");
    }
  }

  private static java.io.File nullFile() {
    return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL"
        : "/dev/null");
  }
}
