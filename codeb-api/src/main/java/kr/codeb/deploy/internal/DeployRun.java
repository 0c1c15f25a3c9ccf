package kr.codeb.deploy.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.deploy.DeployContext;
import kr.codeb.deploy.DeployHooks;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.DeployProgress;
import kr.codeb.deploy.DeployRequest;
import kr.codeb.deploy.DeployResult;
import kr.codeb.deploy.EnvSource;
import kr.codeb.deploy.ReleaseOutcome;
import kr.codeb.deploy.ReleaseRecord;
import kr.codeb.internal.SlotNames;
import kr.codeb.model.Slot;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.ProjectPorts;
import kr.codeb.proxy.HostConflict;
import kr.codeb.proxy.Upstream;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ContainerSpec;
import kr.codeb.runtime.PortBinding;

/** The steps of one deploy, run while the project's lock is held. */
public final class DeployRun {
  private static final DateTimeFormatter RELEASE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final int LOG_LINES = 20;
  private static final Duration FAILED_STOP_GRACE = Duration.ofSeconds(1);

  private final DeployContext ctx;
  private final DeployRequest request;
  private final DeployProgress progress;
  private final DeployKey key;
  private final EnvRedaction redaction;
  private final DeployHooks hooks;

  public DeployRun(DeployContext ctx, DeployRequest request, DeployProgress progress) {
    this(ctx, request, DeployHooks.NONE, progress);
  }

  /** A deploy that also runs {@code hooks} (see {@link DeployHooks}). */
  public DeployRun(DeployContext ctx, DeployRequest request, DeployHooks hooks,
      DeployProgress progress) {
    this.ctx = ctx;
    this.request = request;
    this.progress = progress;
    this.key = request.key();
    this.redaction = EnvRedaction.of(request.env());
    this.hooks = hooks;
  }

  /** Runs the image in the idle slot, gates it, switches traffic; see {@code Deployments}. */
  public DeployResult run(ReleaseOutcome successOutcome) {
    try {
      return runSteps(successOutcome);
    } catch (CodeBException e) {
      throw redaction.apply(e);
    }
  }

  private DeployResult runSteps(ReleaseOutcome successOutcome) {
    long start = System.nanoTime();
    // Local scripts that cannot run are refused before anything is allocated or run.
    Optional<java.nio.file.Path> localPre = hooks.localScript("pre-deploy");
    Optional<java.nio.file.Path> localPost = hooks.localScript("post-deploy");
    refuseTakenHosts();
    ProjectPorts ports = new PortOperations(ctx.ssot(), this::portsPublishedByOthers)
        .allocate(key.project(), key.environment());
    Optional<Slot> live = SlotNames.liveSlot(ctx.proxy(), key, ports.ports());
    Slot target = live.map(Slot::other).orElse(Slot.BLUE);
    int port = ports.ports().port(target);
    String release = newReleaseId();
    // The image first: a pull that fails must leave the idle slot's container (the rollback).
    progress.step("pulling " + request.image() + " unless the engine has it");
    ctx.runtime().ensureImage(request.image());
    Optional<HookRunner.Outcome> preFailed = localPre
        .map(script -> localRunner().run("pre-deploy", script, release, target, port))
        .filter(o -> !o.ok())
        .or(() -> hooks.preDeploy()
            .map(command -> hookRunner().run("pre-deploy", command, release))
            .filter(o -> !o.ok()));
    if (preFailed.isPresent()) {
      HookRunner.Outcome pre = preFailed.get();
      progress.step(pre.summary() + "; nothing was started, traffic stays on "
          + live.map(Slot::id).orElse("nothing"));
      record(release, target, port, ReleaseOutcome.FAILED, pre.summary());
      return new DeployResult(key, ReleaseOutcome.FAILED, release, request.image(), target,
          port, live, Optional.of(pre.summary()), Optional.of(pre.output()),
          Duration.ofNanos(System.nanoTime() - start));
    }
    ContainerId id = start(target, port, release);
    SlotProcesses workers = new SlotProcesses(ctx, key, progress);
    startWorkers(workers, id, target, port, release);
    Upstream published = new Upstream(ctx.publishAddress(), port);
    progress.step("waiting for " + SlotNames.container(key, target) + " to answer "
        + request.health().path() + " on " + published.dial());
    HealthGate.Verdict verdict = HealthGate.await(ctx.runtime(), id,
        request.health().url(published), request.health(), progress);
    if (!verdict.passed()) {
      workers.stopAll(target, FAILED_STOP_GRACE);
      return failed(id, target, port, release, live, verdict.reason().orElse("unhealthy"), start);
    }
    Optional<SlotProcesses.Failure> worker = workers.gate(target, request.health());
    if (worker.isPresent()) {
      workers.stopAll(target, FAILED_STOP_GRACE);
      return failed(id, target, port, release, live, worker.get().reason(), start,
          Optional.of(worker.get().logs()));
    }
    if (request.noSwitch()) {
      // A staged release's workers wait, stopped, for the promote that starts them: two
      // releases' workers never run side by side longer than a drain.
      workers.stopAll(target, SlotProcesses.STOP_GRACE);
      record(release, target, port, ReleaseOutcome.STAGED, "");
      return done(ReleaseOutcome.STAGED, release, target, port, live, Optional.empty(), start);
    }
    TrafficSwitch.SwitchOutcome switched = new TrafficSwitch(ctx, key, progress)
        .to(new Upstream(ctx.upstreamAddress(), port), request.hosts());
    ReleaseOutcome outcome = switched.outcome(successOutcome);
    // Recorded before the drain: a process killed while draining leaves no live release
    // missing from the history.
    record(release, target, port, outcome, switched.message());
    if (outcome == ReleaseOutcome.FAILED) {
      stopQuietly(id);
      workers.stopAll(target, FAILED_STOP_GRACE);
      return done(outcome, release, target, port, live, Optional.of(switched.message()), start);
    }
    if (outcome == ReleaseOutcome.SWITCH_UNKNOWN) {
      return done(outcome, release, target, port, Optional.empty(),
          Optional.of(switched.message()), start);
    }
    Optional<HookRunner.Outcome> post = hooks.postDeploy()
        .map(command -> hookRunner().run("post-deploy", command, release))
        .filter(o -> !o.ok())
        .or(() -> localPost
            .map(script -> localRunner().run("post-deploy", script, release, target, port))
            .filter(o -> !o.ok()));
    if (post.isPresent()) {
      return postDeployFailed(post.get(), release, target, port, live,
          live.map(s -> ports.ports().port(s)).orElse(0), start);
    }
    drain(live);
    live.ifPresent(old -> workers.stopAll(old, SlotProcesses.STOP_GRACE));
    new ImagePruner(ctx, key).prune(request.keepImages());
    return done(outcome, release, target, port, Optional.of(target), Optional.empty(), start);
  }

  private HookRunner hookRunner() {
    return new HookRunner(ctx, request, hooks, progress, redaction);
  }

  private LocalHookRunner localRunner() {
    return new LocalHookRunner(request, hooks, progress, redaction);
  }

  /**
   * A post-deploy hook failed after the switch: recorded, reported with its output, and traffic
   * moved back to the previous slot only when the hooks ask for it.
   */
  private DeployResult postDeployFailed(HookRunner.Outcome post, String release, Slot target,
      int port, Optional<Slot> previous, int previousPort, long start) {
    Optional<Slot> liveNow = Optional.of(target);
    String reason = post.summary();
    if (hooks.rollbackOnPostDeployFailure() && previous.isPresent()) {
      TrafficSwitch.SwitchOutcome moved = new TrafficSwitch(ctx, key, progress)
          .to(new Upstream(ctx.upstreamAddress(), previousPort), request.hosts());
      if (moved.outcome(ReleaseOutcome.ROLLED_BACK) == ReleaseOutcome.ROLLED_BACK) {
        liveNow = previous;
        new SlotProcesses(ctx, key, progress).stopAll(target, SlotProcesses.STOP_GRACE);
        reason += "; traffic moved back to " + previous.get();
      } else {
        reason += "; moving traffic back to " + previous.get() + " failed: " + moved.message();
      }
    } else {
      reason += "; traffic stays on " + target;
    }
    progress.step(reason);
    record(release, target, port, liveNow.equals(Optional.of(target)) ? ReleaseOutcome.DEPLOYED
        : ReleaseOutcome.FAILED, reason);
    return new DeployResult(key, liveNow.equals(Optional.of(target)) ? ReleaseOutcome.DEPLOYED
        : ReleaseOutcome.FAILED, release, request.image(), target, port, liveNow,
        Optional.of(redaction.apply(reason)), Optional.of(post.output()),
        Duration.ofNanos(System.nanoTime() - start));
  }

  private DeployResult done(ReleaseOutcome outcome, String release, Slot slot, int port,
      Optional<Slot> live, Optional<String> reason, long start) {
    return new DeployResult(key, outcome, release, request.image(), slot, port, live, reason,
        Optional.empty(), Duration.ofNanos(System.nanoTime() - start));
  }

  /** A host another route already matches is refused before anything is allocated or run. */
  private void refuseTakenHosts() {
    if (request.hosts().isEmpty()) {
      return;
    }
    List<HostConflict> taken = ctx.proxy().hostConflicts(SlotNames.route(key), request.hosts());
    if (!taken.isEmpty()) {
      throw new ConflictException("cannot deploy " + key + ": " + taken.stream()
          .map(HostConflict::describe).distinct().collect(Collectors.joining("; "))
          + "; a host may belong to one route only. Nothing was started");
    }
  }

  /** The slot's workers beside its new web container; a failure stops that one too. */
  private void startWorkers(SlotProcesses workers, ContainerId web, Slot slot, int port,
      String release) {
    try {
      workers.replace(slot, release, request);
    } catch (CodeBException e) {
      stopQuietly(web);
      CodeBException clean = redaction.apply(e);
      record(release, slot, port, ReleaseOutcome.FAILED, "could not start a worker: "
          + clean.getMessage());
      throw clean;
    }
  }

  private ContainerId start(Slot slot, int port, String release) {
    ContainerId name = SlotNames.container(key, slot);
    // An empty idle slot (a deploy stopped while replacing it) is expected: it is simply filled.
    boolean replacing = ctx.runtime().inspect(name).isPresent();
    progress.step((replacing ? "replacing " + name + " with " : "starting " + name + " (the"
        + " slot was empty) with ") + request.image());
    ctx.runtime().remove(name);
    ContainerSpec spec = new ContainerSpec(name.value(), request.image(),
        SlotNames.labels(key, slot, release), request.env(),
        List.of(new PortBinding(ctx.publishAddress(), port, request.containerPort())),
        request.webCommand());
    try {
      return ctx.runtime().run(spec);
    } catch (CodeBException e) {
      CodeBException clean = redaction.apply(e);
      record(release, slot, port, ReleaseOutcome.FAILED, "could not start: " + clean.getMessage());
      throw clean;
    }
  }

  private DeployResult failed(ContainerId id, Slot slot, int port, String release,
      Optional<Slot> live, String reason, long start) {
    return failed(id, slot, port, release, live, reason, start, Optional.empty());
  }

  /** {@code workerLogs}: the failed worker's lines, shown instead of the web container's. */
  private DeployResult failed(ContainerId id, Slot slot, int port, String release,
      Optional<Slot> live, String reason, long start, Optional<String> workerLogs) {
    progress.step("health gate failed; traffic stays on " + live.map(Slot::id).orElse("nothing"));
    String logs = workerLogs.orElse("");
    try {
      logs = workerLogs.isPresent() ? logs : ctx.runtime().logs(id, LOG_LINES);
      // It never served traffic, so there is nothing to drain: a short grace is enough.
      ctx.runtime().stop(id, FAILED_STOP_GRACE);
    } catch (CodeBException e) {
      logs = logs.isEmpty() ? "(no log: " + e.getMessage() + ")" : logs;
    }
    String cleanReason = redaction.apply(reason);
    record(release, slot, port, ReleaseOutcome.FAILED, cleanReason);
    return new DeployResult(key, ReleaseOutcome.FAILED, release, request.image(), slot, port, live,
        Optional.of(cleanReason), Optional.of(redaction.apply(logs)),
        Duration.ofNanos(System.nanoTime() - start));
  }

  private void stopQuietly(ContainerId id) {
    try {
      ctx.runtime().stop(id, FAILED_STOP_GRACE);
    } catch (CodeBException e) {
      // It takes no traffic either way; the next deploy replaces it.
    }
  }

  private void drain(Optional<Slot> previous) {
    if (previous.isEmpty() || request.drain().isZero()) {
      return;
    }
    progress.step("letting " + previous.get() + " drain for " + request.drain().toMillis() + " ms");
    try {
      Thread.sleep(request.drain().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void record(String release, Slot slot, int port, ReleaseOutcome outcome, String msg) {
    ctx.releases().append(new ReleaseRecord(Instant.now(), key, release, request.actor(),
        request.image(), slot, port, request.containerPort(), request.health().path(),
        request.envSource(), EnvSource.hashOf(request.env()), outcome, redaction.apply(msg)));
  }

  /** Host ports published by containers that are not this project's slots. */
  private Set<Integer> portsPublishedByOthers() {
    Set<Integer> used = new java.util.TreeSet<>();
    for (ContainerInfo c : ctx.runtime().list(Map.of())) {
      boolean ours = key.project().value().equals(c.labels().get(SlotNames.PROJECT))
          && key.environment().name().equals(c.labels().get(SlotNames.ENV));
      if (!ours) {
        c.ports().forEach(p -> used.add(p.hostPort()));
      }
    }
    return used;
  }

  private static String newReleaseId() {
    return RELEASE_TIME.format(Instant.now()) + "-"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
  }
}
