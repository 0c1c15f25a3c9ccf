package kr.codeb.cli.internal;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import kr.codeb.ports.PortProbe;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.runtime.PortBinding;

/**
 * The host ports published on a project's app servers, so that allocation never hands out one
 * a container there already holds (say one started by hand before CodeB). One engine listing
 * per server, of containers in any state: a stopped container with a restart policy takes its
 * port again when the engine restarts. The engines are opened on the first call only, and
 * closed with {@code opened}.
 */
final class AppServerPorts implements PortProbe {
  private final Session session;
  private final String project;
  private final OpenedResources opened;
  private CompletableFuture<Set<Integer>> ahead;

  AppServerPorts(Session session, String project, OpenedResources opened) {
    this.session = session;
    this.project = project;
    this.opened = opened;
  }

  /** Starts reading the ports in a background thread. */
  synchronized void readAhead() {
    if (ahead == null) {
      ahead = CompletableFuture.supplyAsync(this::read,
          DaemonThreads.ownThread("codeb-app-ports"));
    }
  }

  @Override
  public Set<Integer> portsInUse() {
    CompletableFuture<Set<Integer>> started;
    synchronized (this) {
      started = ahead;
    }
    if (started == null) {
      return read();
    }
    try {
      return started.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private Set<Integer> read() {
    Set<Integer> used = new TreeSet<>();
    for (EngineTarget target : FleetRouting.runtimes(session, Optional.of(project))) {
      ContainerRuntime runtime = opened.track(FleetLinks.registryFor(session.registry(), target)
          .containerRuntime(target.uri()));
      for (ContainerInfo c : runtime.list(Map.of())) {
        for (PortBinding b : c.ports()) {
          used.add(b.hostPort());
        }
      }
    }
    return Collections.unmodifiableSet(used);
  }
}
