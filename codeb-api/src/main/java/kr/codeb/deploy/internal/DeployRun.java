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
import kr.codeb.deploy.AppServer;
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
import kr.codeb.ports.RegistryEdit;
import kr.codeb.proxy.HostConflict;
import kr.codeb.proxy.Upstream;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerInfo;

/** The steps of one deploy, run while the project's lock is held. */
public final class DeployRun {
  private static final DateTimeFormatter RELEASE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

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
    recordPlacement();
    Optional<Slot> live = SlotNames.liveSlot(ctx.proxy(), key, ports.ports());
    Slot target = live.map(Slot::other).orElse(Slot.BLUE);
    int port = ports.ports().port(target);
    String release = newReleaseId();
    List<ServerRelease> servers = ctx.servers().stream()
        .map(s -> new ServerRelease(ctx, s, request, progress)).toList();
    // The image first, on every server: a pull that fails must leave every idle slot's
    // container (the rollback), and no server starts the release that another cannot run.
    progress.step("pulling " + request.image() + " unless the engine has it"
        + (ctx.severalServers() ? " (on " + names() + ")" : ""));
    throwFirst(OnEachServer.run(ctx.servers(), s -> {
      serverOf(servers, s).pull();
      return Boolean.TRUE;
    }));
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
    startEverywhere(servers, target, port, release);
    List<OnEachServer.Result<Optional<ServerRelease.Failure>>> gates =
        OnEachServer.run(ctx.servers(), s -> {
          ServerRelease r = serverOf(servers, s);
          return r.gate(SlotNames.container(key, target), target, port);
        });
    Optional<ServerRelease.Failure> gateFailed = gates.stream()
        .map(g -> g.failure().map(e -> new ServerRelease.Failure(g.server(), e.getMessage(), ""))
            .or(() -> g.value().flatMap(f -> f)))
        .flatMap(Optional::stream).findFirst();
    if (gateFailed.isPresent()) {
      stopNewEverywhere(servers, target);
      return failed(gateFailed.get(), target, port, release, live, start);
    }
    if (request.noSwitch()) {
      // A staged release's workers wait, stopped, for the promote that starts them: two
      // releases' workers never run side by side longer than a drain.
      servers.forEach(r -> r.workers().stopAll(target, SlotProcesses.STOP_GRACE));
      record(release, target, port, ReleaseOutcome.STAGED, "");
      return done(ReleaseOutcome.STAGED, release, target, port, live, Optional.empty(), start);
    }
    TrafficSwitch.SwitchOutcome switched = new TrafficSwitch(ctx, key, progress)
        .to(upstreams(port), request.hosts());
    ReleaseOutcome outcome = switched.outcome(successOutcome);
    // Recorded before the drain: a process killed while draining leaves no live release
    // missing from the history.
    record(release, target, port, outcome, switched.message());
    if (outcome == ReleaseOutcome.FAILED) {
      stopNewEverywhere(servers, target);
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
    live.ifPresent(old -> OnEachServer.run(ctx.servers(), s -> {
      serverOf(servers, s).workers().stopAll(old, SlotProcesses.STOP_GRACE);
      return Boolean.TRUE;
    }));
    for (AppServer s : ctx.servers()) {
      new ImagePruner(ctx.on(s), key).prune(request.keepImages());
    }
    return done(outcome, release, target, port, Optional.of(target), Optional.empty(), start);
  }

  /** One upstream per app server, all on the slot's port, in the servers' order. */
  private List<Upstream> upstreams(int port) {
    return ctx.servers().stream().map(s -> new Upstream(s.upstreamAddress(), port)).toList();
  }

  private String names() {
    return ctx.servers().stream().map(AppServer::name).collect(Collectors.joining(", "));
  }

  private static ServerRelease serverOf(List<ServerRelease> servers, AppServer s) {
    return servers.stream().filter(r -> r.server().equals(s)).findFirst().orElseThrow();
  }

  /**
   * Starts the release's web container and workers on every server at once. When any server
   * cannot, the ones started anywhere are stopped again and the failure is recorded and thrown.
   */
  private void startEverywhere(List<ServerRelease> servers, Slot target, int port,
      String release) {
    List<OnEachServer.Result<Optional<StartFailure>>> started =
        OnEachServer.run(ctx.servers(), s -> {
          ServerRelease r = serverOf(servers, s);
          ContainerId web;
          try {
            web = r.startWeb(target, port, release);
          } catch (CodeBException e) {
            return Optional.of(new StartFailure("could not start: ", e));
          }
          try {
            r.startWorkers(web, target, release);
          } catch (CodeBException e) {
            return Optional.of(new StartFailure("could not start a worker: ", e));
          }
          return Optional.empty();
        });
    for (OnEachServer.Result<Optional<StartFailure>> r : started) {
      Optional<StartFailure> failed = r.failure().map(e -> new StartFailure("could not start: ", e))
          .or(() -> r.value().flatMap(f -> f));
      if (failed.isPresent()) {
        if (ctx.severalServers()) {
          stopNewEverywhere(servers, target);
        }
        CodeBException clean = redaction.apply(onServer(r.server(), failed.get().cause()));
        record(release, target, port, ReleaseOutcome.FAILED, failed.get().what()
            + clean.getMessage());
        throw clean;
      }
    }
  }

  /** Which start step failed on a server, and why. */
  private record StartFailure(String what, CodeBException cause) {}

  /** Stops the target slot's new containers on every server (none of them took traffic). */
  private void stopNewEverywhere(List<ServerRelease> servers, Slot target) {
    OnEachServer.run(ctx.servers(), s -> {
      serverOf(servers, s).stopNew(target);
      return Boolean.TRUE;
    });
  }

  /** Throws the first failure of a step, naming its server when there are several. */
  private void throwFirst(List<? extends OnEachServer.Result<?>> results) {
    for (OnEachServer.Result<?> r : results) {
      if (r.failed()) {
        throw onServer(r.server(), r.failure().get());
      }
    }
  }

  /** {@code e}, with the server named in front when the project runs on several. */
  private CodeBException onServer(AppServer server, CodeBException e) {
    return ctx.severalServers() ? Failures.onServer(server.name(), e) : e;
  }

  /**
   * Records which servers the project runs on ({@code placement}) when it runs on several, or
   * when an earlier deploy recorded a placement that is no longer right. A store that cannot
   * take the edit (the SSOT over HTTP) leaves it unrecorded; the deploy goes on.
   */
  private void recordPlacement() {
    List<String> names = ctx.servers().stream().map(AppServer::name).toList();
    List<String> before = ctx.ssot().read().project(key.project())
        .map(p -> p.placement(key.environment())).orElse(List.of());
    if (!ctx.severalServers() && before.isEmpty()) {
      return;
    }
    List<String> left = before.stream().filter(s -> !names.contains(s)).toList();
    if (!left.isEmpty()) {
      // This deploy cannot reach them: their containers stay until removed there by hand.
      progress.step(String.join(", ", left) + " left the placement of " + key + " (now "
          + names + "): its containers there keep running, outside the route, until removed");
    }
    try {
      ctx.ssot().apply(new RegistryEdit.Place(key.project(), key.environment(), names));
    } catch (kr.codeb.UnsupportedFeatureException e) {
      progress.step("the placement on " + names + " is not recorded: " + e.getMessage());
    }
  }

  /** Hooks run once per deploy, on the first app server. */
  private HookRunner hookRunner() {
    return new HookRunner(ctx.on(ctx.servers().get(0)), request, hooks, progress, redaction);
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
          .to(upstreams(previousPort), request.hosts());
      if (moved.outcome(ReleaseOutcome.ROLLED_BACK) == ReleaseOutcome.ROLLED_BACK) {
        liveNow = previous;
        for (AppServer s : ctx.servers()) {
          new SlotProcesses(ctx.on(s), key, progress).stopAll(target, SlotProcesses.STOP_GRACE);
        }
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

  /** The result of a failed gate: the reason and the failed container's log tail. */
  private DeployResult failed(ServerRelease.Failure failure, Slot slot, int port, String release,
      Optional<Slot> live, long start) {
    progress.step("health gate failed" + (ctx.severalServers() ? " on " + failure.server().name()
        + "; no server switched, the new containers are stopped on every server" : "")
        + "; traffic stays on " + live.map(Slot::id).orElse("nothing"));
    String reason = ctx.severalServers() ? failure.server().name() + ": " + failure.reason()
        : failure.reason();
    String cleanReason = redaction.apply(reason);
    record(release, slot, port, ReleaseOutcome.FAILED, cleanReason);
    return new DeployResult(key, ReleaseOutcome.FAILED, release, request.image(), slot, port, live,
        Optional.of(cleanReason), Optional.of(redaction.apply(failure.logs())),
        Duration.ofNanos(System.nanoTime() - start));
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
    // The union over every app server: the one port pair must be free on all of them.
    for (AppServer s : ctx.servers()) {
      for (ContainerInfo c : s.runtime().list(Map.of())) {
        boolean ours = key.project().value().equals(c.labels().get(SlotNames.PROJECT))
            && key.environment().name().equals(c.labels().get(SlotNames.ENV));
        if (!ours) {
          c.ports().forEach(p -> used.add(p.hostPort()));
        }
      }
    }
    return used;
  }

  private static String newReleaseId() {
    return RELEASE_TIME.format(Instant.now()) + "-"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
  }
}
