package kr.codeb.db.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import kr.codeb.ConflictException;
import kr.codeb.db.StorageServer;
import kr.codeb.fleet.ServerLink;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.runtime.PortBinding;

/**
 * The ports the storage server's engine already hands out: the {@code codeb.port} label of a
 * database container (they run on the host network, so the engine publishes nothing for them)
 * and every published host port, of containers in any state (a stopped container with a
 * restart policy takes its port again when the engine restarts). One engine listing, read once
 * per database operation; allocation skips these ports and a new container is never started on
 * one of them.
 */
public final class PortHolders {
  /** How long the probe for a listener that is no container may take on the server. */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

  private final Map<Integer, List<ContainerInfo>> byPort;

  private PortHolders(Map<Integer, List<ContainerInfo>> byPort) {
    this.byPort = byPort;
  }

  /** Reads every container of the engine (one listing). */
  public static PortHolders of(ContainerRuntime runtime) {
    Map<Integer, List<ContainerInfo>> byPort = new TreeMap<>();
    for (ContainerInfo c : runtime.list(Map.of())) {
      for (int port : ports(c)) {
        byPort.computeIfAbsent(port, p -> new ArrayList<>()).add(c);
      }
    }
    return new PortHolders(byPort);
  }

  /** The ports some container of the engine holds. */
  public Set<Integer> ports() {
    return Collections.unmodifiableSet(byPort.keySet());
  }

  /**
   * Fails unless {@code port} on the server's {@code address} is free for the container named
   * {@code own}: no other container of the engine holds it, and (unless {@code ownHoldsIt}, the
   * container itself running on that port now) nothing on the server accepts a TCP connection
   * there. The message names the port, the server and the holder when it is known.
   *
   * @throws ConflictException when something else holds the port
   */
  public void requireFree(StorageServer storage, String address, int port, String own,
      boolean ownHoldsIt) {
    String where = "port " + port + " on storage server " + storage.server().name() + " ("
        + address + ")";
    for (ContainerInfo c : byPort.getOrDefault(port, List.of())) {
      if (c.name().equals(own)) {
        continue;
      }
      String project = Optional.ofNullable(c.labels().get("codeb.project"))
          .map(p -> ", project " + p).orElse("");
      throw new ConflictException(where + " is held by container " + c.name() + " ("
          + c.state().name().toLowerCase(java.util.Locale.ROOT) + project + ", image "
          + c.image() + "), so " + own + " cannot listen there; nothing was started. If that"
          + " container is left over, remove it on the server (docker rm -f " + c.name()
          + "); otherwise release this port (we db remove) and run again to take a free one");
    }
    if (!ownHoldsIt && accepts(storage.link(), address, port)) {
      throw new ConflictException(where + " already accepts connections, from no container"
          + " of the server's engine (another process listens there), so " + own + " cannot"
          + " listen there; nothing was started. Stop that process, or release this port"
          + " (we db remove) and run again to take a free one");
    }
  }

  /**
   * Whether something on the server accepts a TCP connection on {@code address:port} (bash's
   * {@code /dev/tcp}). A server without bash or {@code timeout} answers "no": the engine's
   * listing is then the only check.
   */
  static boolean accepts(ServerLink link, String address, int port) {
    String probe = "timeout 3 bash -c 'exec 3<>/dev/tcp/" + address + "/" + port + "'"
        + " </dev/null >/dev/null 2>&1; echo $?";
    ServerLink.CommandResult r = link.run(probe, PROBE_TIMEOUT);
    return r.succeeded() && r.stdout().strip().equals("0");
  }

  private static List<Integer> ports(ContainerInfo c) {
    List<Integer> ports = new ArrayList<>();
    String label = c.labels().get(Containers.PORT_LABEL);
    if (label != null && label.matches("[0-9]{1,5}")) {
      int port = Integer.parseInt(label);
      if (port >= 1 && port <= 65535) {
        ports.add(port);
      }
    }
    for (PortBinding b : c.ports()) {
      ports.add(b.hostPort());
    }
    return ports;
  }
}
