package kr.codeb.deploy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.runtime.ContainerInfo;

/**
 * One slot of a project on one app server.
 *
 * @param server the app server's name ({@link AppServer#name()})
 * @param container the slot's {@code web} container on that server
 * @param release the {@code codeb.release} label of that container
 * @param workers the slot's other processes' containers on that server, by name
 */
public record ServerSlot(String server, Optional<ContainerInfo> container,
    Optional<String> release, List<ContainerInfo> workers) {
  public ServerSlot {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(release, "release");
    workers = List.copyOf(workers);
  }

  /** Whether the slot's web container runs on this server. */
  public boolean running() {
    return container.map(ContainerInfo::isRunning).orElse(false);
  }
}
