package kr.codeb;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A container engine (Docker, Podman) on one server. The deploy issue refines these semantics
 * and its {@code ContainerRuntimeContract} tests them; the shape is fixed here.
 */
public interface ContainerRuntime extends AutoCloseable {
  ProviderInfo info();

  /** Asks the engine who it is; {@link UnavailableException} listing where it looked if none. */
  RuntimeVersion ping();

  /** Creates and starts a container; a container of the same name must not exist. */
  ContainerId run(ContainerSpec spec);

  /** Stops a running container, killing it after {@code grace}; stopping a stopped one is a no-op. */
  void stop(ContainerId id, Duration grace);

  /** Removes a container (stopping it first); {@code false} if there was none. */
  boolean remove(ContainerId id);

  /** The container with this id or name, if it exists. */
  Optional<ContainerInfo> inspect(ContainerId id);

  /** Containers carrying all the given labels (all containers for an empty map). */
  List<ContainerInfo> list(Map<String, String> labels);

  /** The last {@code lines} lines of a container's output (stdout and stderr). */
  String logs(ContainerId id, int lines);

  @Override
  void close();
}
