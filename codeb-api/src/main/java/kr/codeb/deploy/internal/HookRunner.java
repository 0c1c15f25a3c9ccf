package kr.codeb.deploy.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kr.codeb.deploy.DeployContext;
import kr.codeb.deploy.DeployHooks;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.DeployProgress;
import kr.codeb.deploy.DeployRequest;
import kr.codeb.internal.SlotNames;
import kr.codeb.runtime.ContainerSpec;
import kr.codeb.runtime.OneOffResult;

/**
 * Runs one deploy hook in a one-off container of the new release and passes its output to the
 * deploy's progress line by line as it is written, with the environment's values redacted.
 */
final class HookRunner {
  static final int OUTPUT_LINES = 20;

  private final DeployContext ctx;
  private final DeployRequest request;
  private final DeployHooks hooks;
  private final DeployProgress progress;
  private final EnvRedaction redaction;

  HookRunner(DeployContext ctx, DeployRequest request, DeployHooks hooks, DeployProgress progress,
      EnvRedaction redaction) {
    this.ctx = ctx;
    this.request = request;
    this.hooks = hooks;
    this.progress = progress;
    this.redaction = redaction;
  }

  /** What a hook did: ok, and a one-line summary and its output tail, both redacted. */
  record Outcome(boolean ok, String summary, String output) {}

  Outcome run(String which, List<String> command, String release) {
    DeployKey key = request.key();
    String name = key.id() + "-" + which + "-" + release.toLowerCase(java.util.Locale.ROOT)
        .replaceAll("[^a-z0-9_.-]", "-");
    Map<String, String> labels = new HashMap<>(SlotNames.labels(key));
    labels.put("codeb.hook", which);
    labels.put(SlotNames.RELEASE, release);
    progress.step("running the " + which + " hook in a one-off container of " + request.image()
        + " (timeout " + hooks.timeout().toSeconds() + " s)");
    OneOffResult r = ctx.runtime().runOnce(new ContainerSpec(name, request.image(), labels,
        request.env(), List.of(), command), hooks.timeout(), OUTPUT_LINES, line -> {
          String clean = redaction.apply(line);
          if (!clean.isBlank()) {
            progress.step(which + ": " + clean);
          }
        });
    String output = redaction.apply(r.output());
    String summary = r.timedOut()
        ? "the " + which + " hook was still running after " + hooks.timeout().toSeconds()
            + " s and was killed"
        : "the " + which + " hook exited with " + r.exitCode();
    return new Outcome(r.succeeded(), summary, output);
  }
}
