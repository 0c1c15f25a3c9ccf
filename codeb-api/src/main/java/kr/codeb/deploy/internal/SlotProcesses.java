package kr.codeb.deploy.internal;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.CodeBException;
import kr.codeb.deploy.DeployContext;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.DeployProgress;
import kr.codeb.deploy.DeployRequest;
import kr.codeb.deploy.HealthCheck;
import kr.codeb.deploy.ProcessSpec;
import kr.codeb.internal.SlotNames;
import kr.codeb.model.Slot;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ContainerSpec;
import kr.codeb.runtime.ContainerState;
import kr.codeb.runtime.ExecIo;
import kr.codeb.runtime.ExecRequest;

/**
 * The worker containers of one slot (every process but {@code web}): started with a release,
 * gated, stopped after the drain, started again by a promote or rollback. What a worker's gate
 * checks is read from its labels, so a promote gates exactly what the deploy started.
 */
public final class SlotProcesses {
  /** How long a worker gets to finish its job when its release leaves. */
  public static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final int LOG_LINES = 20;
  private static final int OUTPUT_LIMIT = 4096;

  private final DeployContext ctx;
  private final DeployKey key;
  private final DeployProgress progress;

  /** Why a worker failed the gate, and its last log lines. */
  public record Failure(String reason, String logs) {}

  public SlotProcesses(DeployContext ctx, DeployKey key, DeployProgress progress) {
    this.ctx = ctx;
    this.key = key;
    this.progress = progress;
  }

  /** The worker containers of {@code slot}, by name. */
  public List<ContainerInfo> of(Slot slot) {
    Map<String, String> labels = SlotNames.labels(key);
    labels.put(SlotNames.SLOT, slot.id());
    return ctx.runtime().list(labels).stream().filter(c -> SlotNames.isWorker(c.labels()))
        .sorted(Comparator.comparing(ContainerInfo::name)).toList();
  }

  /**
   * Removes every worker container of {@code slot} (an earlier release's, with any count) and
   * runs the request's workers for {@code release}. A run that fails stops the ones started and
   * throws.
   */
  public List<ContainerId> replace(Slot slot, String release, DeployRequest request) {
    for (ContainerInfo old : of(slot)) {
      ctx.runtime().remove(old.id());
    }
    List<ContainerId> started = new ArrayList<>();
    try {
      for (ProcessSpec p : request.workers()) {
        for (int n = 1; n <= p.count(); n++) {
          ContainerId name = SlotNames.container(key, slot, p.name(), n);
          progress.step("starting " + name + " (" + p.name() + " " + n + " of " + p.count()
              + ")");
          ctx.runtime().remove(name);
          started.add(ctx.runtime().run(new ContainerSpec(name.value(), request.image(),
              labels(slot, release, p, n), request.env(), List.of(), p.command())));
        }
      }
    } catch (CodeBException e) {
      started.forEach(this::stopQuietly);
      throw e;
    }
    return started;
  }

  /**
   * Waits until every worker of {@code slot} with a health command passes it (exit 0 inside the
   * container), each within {@code check}'s deadline, then checks that every worker still runs.
   * A worker that exits fails at once.
   *
   * @return the first failure; empty when all passed (or there are no workers)
   */
  public Optional<Failure> gate(Slot slot, HealthCheck check) {
    List<ContainerInfo> workers = of(slot);
    long deadline = System.nanoTime() + check.deadline().toNanos();
    for (ContainerInfo w : workers) {
      List<String> health = healthOf(w.labels());
      if (health.isEmpty()) {
        continue;
      }
      progress.step("waiting for " + w.name() + " to pass its health command");
      Optional<Failure> failed = awaitHealthy(w, health, check, deadline);
      if (failed.isPresent()) {
        return failed;
      }
    }
    for (ContainerInfo w : workers) {
      Optional<String> down = notRunning(w.id());
      if (down.isPresent()) {
        return Optional.of(failure(w, down.get()));
      }
    }
    return Optional.empty();
  }

  private Optional<Failure> awaitHealthy(ContainerInfo w, List<String> health, HealthCheck check,
      long deadline) {
    int attempt = 0;
    String last = "not run yet";
    while (true) {
      attempt++;
      Optional<String> down = notRunning(w.id());
      if (down.isPresent()) {
        return Optional.of(failure(w, down.get()));
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        int code = ctx.runtime().exec(w.id(), new ExecRequest(health, false, false),
            new ExecIo(InputStream.nullInputStream(), capped(out), capped(out)));
        if (code == 0) {
          return Optional.empty();
        }
        last = "exit code " + code + lastLine(out);
        if (code == 126 || code == 127) {
          return Optional.of(failure(w, "its health command cannot run (" + last + ")"));
        }
      } catch (CodeBException e) {
        last = e.getMessage();
      }
      if (System.nanoTime() + check.interval().toNanos() > deadline) {
        return Optional.of(failure(w, "its health command did not pass within "
            + check.deadline().toSeconds() + " s (" + attempt + " attempts, last: " + last
            + ")"));
      }
      HealthGate.sleep(check.interval());
    }
  }

  /** Starts every stopped worker of {@code slot} again (a promote or rollback to it). */
  public void startAll(Slot slot) {
    for (ContainerInfo w : of(slot)) {
      if (!w.isRunning()) {
        progress.step("starting " + w.name() + " again");
        ctx.runtime().start(w.id());
      }
    }
  }

  /** Stops the running workers of {@code slot}; failures are left for the next deploy. */
  public void stopAll(Slot slot, Duration grace) {
    for (ContainerInfo w : of(slot)) {
      if (w.isRunning()) {
        progress.step("stopping " + w.name());
        try {
          ctx.runtime().stop(w.id(), grace);
        } catch (CodeBException e) {
          // It takes no traffic: the next deploy to this slot replaces it.
        }
      }
    }
  }

  /** Whether {@code slot} has a running worker. */
  public boolean anyRunning(Slot slot) {
    return of(slot).stream().anyMatch(ContainerInfo::isRunning);
  }

  private void stopQuietly(ContainerId id) {
    try {
      ctx.runtime().stop(id, Duration.ofSeconds(1));
    } catch (CodeBException e) {
      // Never started or already gone.
    }
  }

  private Optional<String> notRunning(ContainerId id) {
    Optional<ContainerInfo> now = ctx.runtime().inspect(id);
    if (now.isEmpty()) {
      return Optional.of("the container disappeared");
    }
    ContainerState state = now.get().state();
    if (state == ContainerState.RUNNING) {
      return Optional.empty();
    }
    return Optional.of("the container " + (state == ContainerState.RESTARTING
        ? "crashed and is being restarted" : "is " + state.name().toLowerCase())
        + now.get().exitCode().map(c -> " (exit code " + c + ")").orElse(""));
  }

  private Failure failure(ContainerInfo w, String why) {
    String logs;
    try {
      logs = ctx.runtime().logs(w.id(), LOG_LINES);
    } catch (CodeBException e) {
      logs = "(no log: " + e.getMessage() + ")";
    }
    return new Failure(w.name() + ": " + why, logs);
  }

  private Map<String, String> labels(Slot slot, String release, ProcessSpec p, int n) {
    Map<String, String> labels = new LinkedHashMap<>(SlotNames.labels(key, slot, release));
    labels.put(SlotNames.PROCESS, p.name());
    labels.put(SlotNames.PROCESS_INDEX, Integer.toString(n));
    if (!p.health().isEmpty()) {
      labels.put(SlotNames.PROCESS_HEALTH, String.join(" ", p.health().stream()
          .map(a -> URLEncoder.encode(a, StandardCharsets.UTF_8)).toList()));
    }
    return labels;
  }

  /** The health command a worker was started with; empty for none. */
  static List<String> healthOf(Map<String, String> labels) {
    String encoded = labels.get(SlotNames.PROCESS_HEALTH);
    if (encoded == null || encoded.isBlank()) {
      return List.of();
    }
    return Arrays.stream(encoded.split(" "))
        .map(a -> URLDecoder.decode(a, StandardCharsets.UTF_8)).toList();
  }

  private static String lastLine(ByteArrayOutputStream out) {
    String text = out.toString(StandardCharsets.UTF_8).strip();
    if (text.isEmpty()) {
      return "";
    }
    String[] lines = text.split("\n");
    String line = lines[lines.length - 1].strip();
    return ": " + (line.length() > 200 ? line.substring(0, 200) + "..." : line);
  }

  /** Keeps the first {@value #OUTPUT_LIMIT} bytes a health command writes. */
  private static OutputStream capped(ByteArrayOutputStream out) {
    return new OutputStream() {
      @Override
      public void write(int b) {
        if (out.size() < OUTPUT_LIMIT) {
          out.write(b);
        }
      }

      @Override
      public void write(byte[] b, int off, int len) {
        int room = OUTPUT_LIMIT - out.size();
        if (room > 0) {
          out.write(b, off, Math.min(room, len));
        }
      }
    };
  }
}
