package kr.codeb.deploy.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import kr.codeb.CodeBException;
import kr.codeb.deploy.AppServer;
import kr.codeb.deploy.DeployContext;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.DeployProgress;
import kr.codeb.deploy.DeployRequest;
import kr.codeb.internal.SlotNames;
import kr.codeb.model.Slot;
import kr.codeb.proxy.Upstream;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerSpec;
import kr.codeb.runtime.PortBinding;

/**
 * One app server's part of a release: the web container and the workers of the target slot on
 * that server's engine, their health gate, and stopping them again when the release fails on
 * any server.
 */
final class ServerRelease {
  private static final int LOG_LINES = 20;
  static final Duration FAILED_STOP_GRACE = Duration.ofSeconds(1);

  /** Why the release failed its gate on this server, and the failed container's last lines. */
  record Failure(AppServer server, String reason, String logs) {}

  private final AppServer server;
  private final DeployContext ctx;
  private final DeployKey key;
  private final DeployRequest request;
  private final DeployProgress progress;
  private final SlotProcesses workers;

  ServerRelease(DeployContext all, AppServer server, DeployRequest request,
      DeployProgress progress) {
    this.server = server;
    this.ctx = all.on(server);
    this.key = request.key();
    this.request = request;
    this.progress = OnEachServer.of(progress, server, all.severalServers());
    this.workers = new SlotProcesses(ctx, key, this.progress);
  }

  AppServer server() {
    return server;
  }

  SlotProcesses workers() {
    return workers;
  }

  /** Pulls the image unless the engine has it. */
  void pull() {
    ctx.runtime().ensureImage(request.image());
  }

  /** Replaces the slot's web container with the release's and starts it. */
  ContainerId startWeb(Slot slot, int port, String release) {
    ContainerId name = SlotNames.container(key, slot);
    // An empty idle slot (a deploy stopped while replacing it) is expected: it is simply filled.
    boolean replacing = ctx.runtime().inspect(name).isPresent();
    progress.step((replacing ? "replacing " + name + " with " : "starting " + name + " (the"
        + " slot was empty) with ") + request.image());
    ctx.runtime().remove(name);
    ContainerSpec spec = new ContainerSpec(name.value(), request.image(),
        SlotNames.labels(key, slot, release), request.env(),
        List.of(new PortBinding(server.publishAddress(), port, request.containerPort())),
        request.webCommand());
    return ctx.runtime().run(spec);
  }

  /** The slot's workers beside its new web container; a failure stops that one too. */
  void startWorkers(ContainerId web, Slot slot, String release) {
    try {
      workers.replace(slot, release, request);
    } catch (CodeBException e) {
      stopQuietly(web);
      throw e;
    }
  }

  /** The web container's health gate, then the workers'. */
  Optional<Failure> gate(ContainerId web, Slot slot, int port) {
    Upstream published = new Upstream(server.publishAddress(), port);
    progress.step("waiting for " + SlotNames.container(key, slot) + " to answer "
        + request.health().path() + " on " + published.dial());
    HealthGate.Verdict verdict = HealthGate.await(ctx.runtime(), web,
        request.health().url(published), request.health(), progress);
    if (!verdict.passed()) {
      String logs;
      try {
        logs = ctx.runtime().logs(web, LOG_LINES);
      } catch (CodeBException e) {
        logs = "(no log: " + e.getMessage() + ")";
      }
      return Optional.of(new Failure(server, verdict.reason().orElse("unhealthy"), logs));
    }
    return workers.gate(slot, request.health())
        .map(f -> new Failure(server, f.reason(), f.logs()));
  }

  /** Stops the slot's new web container and workers; they never served traffic. */
  void stopNew(Slot slot) {
    workers.stopAll(slot, FAILED_STOP_GRACE);
    stopQuietly(SlotNames.container(key, slot));
  }

  private void stopQuietly(ContainerId id) {
    try {
      ctx.runtime().stop(id, FAILED_STOP_GRACE);
    } catch (CodeBException e) {
      // It takes no traffic either way; the next deploy replaces it.
    }
  }
}
