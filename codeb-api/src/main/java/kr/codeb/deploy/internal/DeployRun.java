package kr.codeb.deploy.internal;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import kr.codeb.CodeBException;
import kr.codeb.deploy.DeployContext;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.DeployProgress;
import kr.codeb.deploy.DeployRequest;
import kr.codeb.deploy.DeployResult;
import kr.codeb.deploy.Deployments;
import kr.codeb.deploy.ReleaseOutcome;
import kr.codeb.deploy.ReleaseRecord;
import kr.codeb.internal.SlotNames;
import kr.codeb.model.Slot;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.ProjectPorts;
import kr.codeb.proxy.Route;
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
  /** How long a switch may take until new requests reach the new slot. */
  public static final Duration SWITCH_CONFIRM = Duration.ofSeconds(10);

  private final DeployContext ctx;
  private final DeployRequest request;
  private final DeployProgress progress;
  private final DeployKey key;

  public DeployRun(DeployContext ctx, DeployRequest request, DeployProgress progress) {
    this.ctx = ctx;
    this.request = request;
    this.progress = progress;
    this.key = request.key();
  }

  /** Runs the image in the idle slot, gates it, switches traffic; see {@code Deployments}. */
  public DeployResult run(ReleaseOutcome successOutcome) {
    long start = System.nanoTime();
    ProjectPorts ports = new PortOperations(ctx.ssot(), this::portsPublishedByOthers)
        .allocate(key.project(), key.environment());
    Optional<Slot> live = SlotNames.liveSlot(ctx.proxy(), key, ports.ports());
    Slot target = live.map(Slot::other).orElse(Slot.BLUE);
    int port = ports.ports().port(target);
    String release = newReleaseId();
    ContainerId id = start(target, port, release);
    progress.step("waiting for " + SlotNames.container(key, target) + " to answer "
        + request.health().path() + " on "
        + ctx.publishAddress() + ":" + port);
    URI url = URI.create("http://" + new Upstream(ctx.publishAddress(), port).dial()
        + request.health().path());
    HealthGate.Verdict verdict =
        HealthGate.await(ctx.runtime(), id, url, request.health(), progress);
    if (!verdict.passed()) {
      return failed(id, target, port, release, live, verdict.reason().orElse("unhealthy"), start);
    }
    ReleaseOutcome outcome = request.noSwitch() ? ReleaseOutcome.STAGED : successOutcome;
    Optional<Slot> nowLive = live;
    if (!request.noSwitch()) {
      switchTraffic(new Upstream(ctx.upstreamAddress(), port));
      nowLive = Optional.of(target);
      drain(live);
    }
    record(release, target, port, outcome, "");
    new ImagePruner(ctx, key).prune(request.keepImages());
    return new DeployResult(key, outcome, release, request.image(), target, port, nowLive,
        Optional.empty(), Optional.empty(), Duration.ofNanos(System.nanoTime() - start));
  }

  private ContainerId start(Slot slot, int port, String release) {
    ContainerId name = SlotNames.container(key, slot);
    progress.step("replacing " + name + " with " + request.image());
    ctx.runtime().remove(name);
    ContainerSpec spec = new ContainerSpec(name.value(), request.image(),
        SlotNames.labels(key, slot, release), request.env(),
        List.of(new PortBinding(ctx.publishAddress(), port, request.containerPort())), List.of());
    try {
      return ctx.runtime().run(spec);
    } catch (CodeBException e) {
      record(release, slot, port, ReleaseOutcome.FAILED, "could not start: " + e.getMessage());
      throw e;
    }
  }

  private DeployResult failed(ContainerId id, Slot slot, int port, String release,
      Optional<Slot> live, String reason, long start) {
    progress.step("health gate failed; traffic stays on " + live.map(Slot::id).orElse("nothing"));
    String logs = "";
    try {
      logs = ctx.runtime().logs(id, LOG_LINES);
      // It never served traffic, so there is nothing to drain: a short grace is enough.
      ctx.runtime().stop(id, FAILED_STOP_GRACE);
    } catch (CodeBException e) {
      logs = logs.isEmpty() ? "(no log: " + e.getMessage() + ")" : logs;
    }
    record(release, slot, port, ReleaseOutcome.FAILED, reason);
    return new DeployResult(key, ReleaseOutcome.FAILED, release, request.image(), slot, port, live,
        Optional.of(reason), Optional.of(logs), Duration.ofNanos(System.nanoTime() - start));
  }

  private void switchTraffic(Upstream to) {
    String routeId = SlotNames.route(key);
    Optional<Route> route = ctx.proxy().route(routeId);
    Set<String> hosts = new LinkedHashSet<>(route.map(Route::hosts).orElse(List.of()));
    boolean newHosts = hosts.addAll(request.hosts());
    progress.step("switching " + routeId + " to " + to.dial());
    if (route.isPresent() && !newHosts) {
      ctx.proxy().switchUpstream(routeId, to);
    } else {
      ctx.proxy().upsert(new Route(routeId, new ArrayList<>(hosts), to));
    }
    // Only then may the old slot drain: new requests must already go to the new one.
    ctx.proxy().awaitUpstream(routeId, to, SWITCH_CONFIRM);
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
        request.image(), slot, port, request.containerPort(), request.health().path(), outcome,
        msg));
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
