package kr.codeb.deploy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.UnavailableException;
import kr.codeb.deploy.internal.DeployRun;
import kr.codeb.deploy.internal.HealthGate;
import kr.codeb.deploy.internal.HttpProbe;
import kr.codeb.deploy.internal.LockGuard;
import kr.codeb.deploy.internal.SlotProcesses;
import kr.codeb.deploy.internal.TrafficSwitch;
import kr.codeb.internal.SlotNames;
import kr.codeb.model.Slot;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.Registry;
import kr.codeb.ports.SlotPorts;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;
import kr.codeb.runtime.ContainerInfo;

/**
 * Blue-green deploys over the SPI: deploy, slot status, promote, rollback, health.
 *
 * <p>The live slot is always read from the proxy, the truth of where traffic goes. Every
 * operation that moves traffic holds the project's deploy lock, so one runs at a time per
 * project and environment. Traffic only ever moves to a slot that has just passed its health
 * gate; a failed gate leaves the live slot untouched (the automatic rollback).
 */
public final class Deployments {
  /** How long promote and rollback give an already running slot to prove it is healthy. */
  private static final Duration SWITCH_GATE = Duration.ofSeconds(15);

  private final DeployContext ctx;

  public Deployments(DeployContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
  }

  /**
   * Deploys {@code request.image()} to the idle slot: ports from the SSOT (allocated on the
   * first deploy), the idle slot's container replaced, the health gate, then the traffic
   * switch and the drain. The previous slot keeps running for an instant rollback.
   *
   * @return the outcome; {@link ReleaseOutcome#FAILED} when the gate failed, with the reason and
   *     the failed container's last log lines (traffic was not switched, the container stopped)
   * @throws InvalidRequestException if the SSOT does not define the environment
   * @throws ConflictException if another deploy holds the lock past {@code lockWait}
   */
  public DeployResult deploy(DeployRequest request, DeployProgress progress) {
    return deploy(request, DeployHooks.NONE, progress);
  }

  /**
   * The same with {@code hooks}: a failing pre-deploy hook fails the deploy before the new slot
   * starts (the live slot untouched; the result has the hook's output tail as its log tail); a
   * failing post-deploy hook is in the result's reason and log tail (see {@link DeployHooks}).
   */
  public DeployResult deploy(DeployRequest request, DeployHooks hooks, DeployProgress progress) {
    PortOperations.requireProjectEnvironment(ctx.ssot().read(), request.key().environment());
    try (LockGuard lock = LockGuard.acquire(ctx.releases(), request.key(), request.actor(),
        request.lockWait())) {
      return new DeployRun(ctx, request, java.util.Objects.requireNonNull(hooks, "hooks"),
          progress).run(ReleaseOutcome.DEPLOYED);
    }
  }

  /** Both slots, which one is live, the route's hosts and the release history. */
  public SlotReport status(DeployKey key) {
    SlotPorts ports = requirePorts(key);
    Optional<Slot> live = SlotNames.liveSlot(ctx.proxy(), key, ports);
    List<SlotState> slots = new ArrayList<>();
    for (Slot slot : Slot.values()) {
      List<ServerSlot> each = new ArrayList<>();
      for (AppServer server : ctx.servers()) {
        Optional<ContainerInfo> c = server.runtime().inspect(SlotNames.container(key, slot));
        each.add(new ServerSlot(server.name(), c, c.map(i -> i.labels().get(SlotNames.RELEASE)),
            new SlotProcesses(ctx.on(server), key, DeployProgress.SILENT).of(slot)));
      }
      ServerSlot first = each.get(0);
      slots.add(new SlotState(slot, ports.port(slot), first.container(), first.release(),
          live.equals(Optional.of(slot)), first.workers(), each));
    }
    List<String> hosts = ctx.proxy().route(SlotNames.route(key)).map(Route::hosts)
        .orElse(List.of());
    return new SlotReport(key, live, slots, hosts, ctx.releases().history(key));
  }

  /**
   * Switches traffic to {@code slot} (the idle one when empty), after checking that its
   * container runs and passes the health gate. Promoting the live slot changes nothing.
   *
   * @throws InvalidRequestException if the project has no ports in the environment
   * @throws NotFoundException if the slot has no running container
   * @throws UnavailableException if the slot is not healthy (traffic stays)
   */
  public SwitchResult promote(DeployKey key, Optional<Slot> slot, String actor) {
    return switchTo(key, slot, actor, ReleaseOutcome.PROMOTED);
  }

  /**
   * Switches traffic back to the previous release: the other slot, when its container still
   * runs and is healthy (instant); otherwise the previous release's image from the history is
   * deployed again to the idle slot, if it had no environment (see the overload for one that
   * had).
   *
   * @throws NotFoundException if there is no previous release to go back to
   * @throws InvalidRequestException if the release must be recreated and had an environment
   *     (nothing is started)
   */
  public SwitchResult rollback(DeployKey key, String actor) {
    return rollback(key, actor, EnvResolver.NOTHING_AT_HAND);
  }

  /**
   * {@link #rollback(DeployKey, String)}; a release that must be recreated gets the environment
   * {@code env} finds for the source it recorded, and the result says whether that environment
   * is the one the release had (by hash).
   *
   * @throws InvalidRequestException if {@code env} has no environment for it (nothing is
   *     started)
   */
  public SwitchResult rollback(DeployKey key, String actor, EnvResolver env) {
    return rollback(key, actor, env, List.of());
  }

  /**
   * {@link #rollback(DeployKey, String, EnvResolver)}; the other slot's stopped workers are
   * started again and gated before the switch (the live slot's stop after the drain). A release
   * that must be recreated gets {@code processes} (the project's declaration), as its workers
   * went with its containers.
   */
  public SwitchResult rollback(DeployKey key, String actor, EnvResolver env,
      List<ProcessSpec> processes) {
    Objects.requireNonNull(env, "env");
    SlotReport report = status(key);
    Slot live = report.live().orElseThrow(() -> new NotFoundException(
        key + " has no live slot to roll back from"));
    SlotState other = report.slot(live.other());
    if (other.runningEverywhere() && other.releases().size() == 1) {
      return switchTo(key, Optional.of(other.slot()), actor, ReleaseOutcome.ROLLED_BACK);
    }
    ReleaseRecord previous = previousRelease(report, live).orElseThrow(() ->
        new NotFoundException(key + " has no previous release to roll back to"));
    EnvResolver.Resolved found = env.resolve(previous.envSource());
    String environment = compare(previous, found);
    DeployRequest again = DeployRequest.builder(key, previous.image())
        .containerPort(previous.containerPort())
        .health(HealthCheck.http(previous.healthPath()))
        .env(found.values(), found.source())
        .actor(actor)
        .processes(processes)
        .build();
    DeployResult result;
    try (LockGuard lock = LockGuard.acquire(ctx.releases(), key, actor, Duration.ZERO)) {
      result = new DeployRun(ctx, again, DeployProgress.SILENT).run(ReleaseOutcome.ROLLED_BACK);
    }
    if (!result.succeeded()) {
      throw new UnavailableException("rollback to " + previous.image() + " failed: "
          + result.reason().orElse("") + (result.outcome() == ReleaseOutcome.FAILED
              ? "; traffic stays on " + live : ""));
    }
    return new SwitchResult(key, Optional.of(live), result.slot(), result.port(), result.image(),
        result.release(), true, Optional.of(environment));
  }

  /** Whether the environment found is the one the release had, by hash; never values. */
  private static String compare(ReleaseRecord previous, EnvResolver.Resolved found) {
    String hash = EnvSource.hashOf(found.values());
    String from = "recreated with " + found.source().describe();
    if (previous.envHash().equals(EnvSource.UNRECORDED)) {
      if (found.source().isEmpty()) {
        throw new InvalidRequestException("the environment of release " + previous.release()
            + " was not recorded, so it is not recreated without one: give it (--env-file, -e),"
            + " or deploy " + previous.image() + " again");
      }
      return from + " (the release's own environment was not recorded)";
    }
    return from + (hash.equals(previous.envHash())
        ? " (the same values as the release had: " + hash + ")"
        : " (changed since the release: " + previous.envHash() + " then, " + hash + " now)");
  }

  /** Probes the live slot's health path once on each app server. */
  public HealthReport health(DeployKey key) {
    SlotReport report = status(key);
    Slot live = report.live().orElseThrow(() -> new NotFoundException(
        key + " has no live slot: deploy it first"));
    SlotState state = report.slot(live);
    String path = lastRecordOf(report, state).map(ReleaseRecord::healthPath)
        .orElse(HealthCheck.DEFAULT_PATH);
    List<HealthReport.Server> each = new ArrayList<>();
    for (AppServer server : ctx.servers()) {
      URI url = HealthCheck.http(path).url(new Upstream(server.publishAddress(), state.port()));
      HttpProbe.Answer answer = HttpProbe.get(url, Duration.ofSeconds(5));
      each.add(new HealthReport.Server(server.name(), answer.ok(), answer.status(),
          answer.description()));
    }
    HealthReport.Server shown = each.stream().filter(h -> !h.healthy()).findFirst()
        .orElse(each.get(0));
    boolean healthy = each.stream().allMatch(HealthReport.Server::healthy);
    String detail = ctx.severalServers() ? each.stream()
        .map(h -> h.server() + ": " + h.detail()).collect(java.util.stream.Collectors.joining("; "))
        : shown.detail();
    return new HealthReport(key, live, state.port(), path, healthy, shown.status(), detail, each);
  }

  /** Who holds the project's deploy lock, if anyone. */
  public Optional<DeployLock> lock(DeployKey key) {
    return ctx.releases().currentLock(key);
  }

  /** Breaks a stale deploy lock. Idempotent. */
  public boolean breakLock(DeployKey key) {
    return ctx.releases().breakLock(key);
  }

  private SwitchResult switchTo(DeployKey key, Optional<Slot> wanted, String actor,
      ReleaseOutcome outcome) {
    try (LockGuard lock = LockGuard.acquire(ctx.releases(), key, actor, Duration.ZERO)) {
      SlotReport report = status(key);
      Slot target = wanted.orElseGet(() -> report.live().map(Slot::other).orElse(Slot.BLUE));
      SlotState state = report.slot(target);
      ContainerInfo container = state.container().filter(ContainerInfo::isRunning)
          .orElseThrow(() -> new NotFoundException("the " + target + " slot of " + key
              + " has no running container" + onFirst() + ": deploy to it first"));
      requireSameReleaseEverywhere(key, state);
      Optional<ReleaseRecord> record = lastRecordOf(report, state);
      String release = state.release().orElse("unknown");
      if (report.live().equals(Optional.of(target))) {
        return new SwitchResult(key, report.live(), target, state.port(), container.image(),
            release, false, Optional.empty());
      }
      HealthCheck health = HealthCheck.http(record.map(ReleaseRecord::healthPath)
          .orElse(HealthCheck.DEFAULT_PATH)).withDeadline(SWITCH_GATE);
      gateEverywhere(key, state, health);
      TrafficSwitch.SwitchOutcome switched = new TrafficSwitch(ctx, key, DeployProgress.SILENT)
          .to(ctx.servers().stream().map(s -> new Upstream(s.upstreamAddress(), state.port()))
              .toList(), List.of());
      ReleaseOutcome recorded = switched.outcome(outcome);
      if (recorded == ReleaseOutcome.FAILED) {
        ctx.servers().forEach(s -> workersOn(s, key).stopAll(target, SlotProcesses.STOP_GRACE));
      } else if (recorded == outcome) {
        report.live().ifPresent(old -> stopAfterDrain(key, old));
      }
      ctx.releases().append(new ReleaseRecord(Instant.now(), key, release, actor,
          container.image(), target, state.port(),
          record.map(ReleaseRecord::containerPort).orElse(DeployRequest.DEFAULT_CONTAINER_PORT),
          health.path(), record.map(ReleaseRecord::envSource).orElse(EnvSource.NONE),
          record.map(ReleaseRecord::envHash).orElse(EnvSource.UNRECORDED), recorded,
          switched.message()));
      if (recorded != outcome) {
        throw new UnavailableException(switched.message());
      }
      return new SwitchResult(key, report.live(), target, state.port(), container.image(),
          release, true, Optional.empty());
    }
  }

  /**
   * Gates the slot on every app server: its web container, then its workers (started again if
   * stopped). A failure anywhere stops the workers it started on every server and throws;
   * traffic is not switched.
   */
  private void gateEverywhere(DeployKey key, SlotState state, HealthCheck health) {
    Slot target = state.slot();
    try {
      for (AppServer server : ctx.servers()) {
        String where = ctx.severalServers() ? " on app server " + server.name() : "";
        ServerSlot here = state.servers().stream().filter(s -> s.server().equals(server.name()))
            .findFirst().orElseThrow();
        ContainerInfo container = here.container().filter(ContainerInfo::isRunning)
            .orElseThrow(() -> new NotFoundException("the " + target + " slot of " + key
                + " has no running container" + where + ": deploy to it first"));
        URI url = health.url(new Upstream(server.publishAddress(), state.port()));
        HealthGate.Verdict verdict = HealthGate.await(server.runtime(), container.id(), url,
            health, DeployProgress.SILENT);
        if (!verdict.passed()) {
          throw new UnavailableException("the " + target + " slot is not healthy" + where + ": "
              + verdict.reason().orElse("") + "; traffic was not switched");
        }
        SlotProcesses workers = workersOn(server, key);
        workers.startAll(target);
        Optional<SlotProcesses.Failure> failed = workers.gate(target, health);
        if (failed.isPresent()) {
          throw new UnavailableException("the " + target + " slot's " + failed.get().reason()
              + where + "; traffic was not switched");
        }
      }
    } catch (kr.codeb.CodeBException e) {
      ctx.servers().forEach(s -> workersOn(s, key).stopAll(target, SlotProcesses.STOP_GRACE));
      throw e;
    }
  }

  /**
   * Refuses to switch to a slot whose servers run different releases (or where one has none):
   * traffic would reach two releases at once.
   */
  private void requireSameReleaseEverywhere(DeployKey key, SlotState state) {
    if (!ctx.severalServers()) {
      return;
    }
    List<String> missing = state.servers().stream().filter(s -> !s.running())
        .map(ServerSlot::server).toList();
    if (!missing.isEmpty()) {
      throw new NotFoundException("the " + state.slot() + " slot of " + key + " has no running"
          + " container on app server " + String.join(", ", missing) + ": deploy again");
    }
    if (state.releases().size() != 1) {
      throw new kr.codeb.ConflictException("the " + state.slot() + " slot of " + key
          + " runs different releases on its app servers (" + state.servers().stream()
              .map(s -> s.server() + ": " + s.release().orElse("none")).toList()
          + "); switching to it would serve both at once: deploy again");
    }
  }

  private String onFirst() {
    return ctx.severalServers() ? " on app server " + ctx.servers().get(0).name() : "";
  }

  private SlotProcesses workersOn(AppServer server, DeployKey key) {
    return new SlotProcesses(ctx.on(server), key, DeployProgress.SILENT);
  }

  /** The old slot's workers stop once the requests it still serves had their drain. */
  private void stopAfterDrain(DeployKey key, Slot old) {
    if (ctx.servers().stream().noneMatch(s -> workersOn(s, key).anyRunning(old))) {
      return;
    }
    try {
      Thread.sleep(DeployRequest.DEFAULT_DRAIN.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ctx.servers().forEach(s -> workersOn(s, key).stopAll(old, SlotProcesses.STOP_GRACE));
  }

  private SlotPorts requirePorts(DeployKey key) {
    Registry registry = ctx.ssot().read();
    PortOperations.requireProjectEnvironment(registry, key.environment());
    return registry.ports(key.project(), key.environment()).orElseThrow(() ->
        new InvalidRequestException("project " + key.project() + " has no ports in "
            + key.environment() + ": deploy it first (or `we ssot allocate`)"));
  }

  private static Optional<ReleaseRecord> lastRecordOf(SlotReport report, SlotState state) {
    List<ReleaseRecord> history = report.history();
    for (int i = history.size() - 1; i >= 0; i--) {
      if (state.release().equals(Optional.of(history.get(i).release()))) {
        return Optional.of(history.get(i));
      }
    }
    return Optional.empty();
  }

  /** The newest successful release before the live one whose image differs from it. */
  private static Optional<ReleaseRecord> previousRelease(SlotReport report, Slot live) {
    String liveImage = report.slot(live).container().map(ContainerInfo::image).orElse("");
    List<ReleaseRecord> history = report.history();
    for (int i = history.size() - 1; i >= 0; i--) {
      ReleaseRecord r = history.get(i);
      boolean success = r.outcome() == ReleaseOutcome.DEPLOYED
          || r.outcome() == ReleaseOutcome.ROLLED_BACK || r.outcome() == ReleaseOutcome.PROMOTED;
      if (success && !r.image().equals(liveImage)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
