package kr.codeb.runtime;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.deploy.HealthStatus;

/**
 * What the engine reports about one container.
 *
 * @param imageId the engine's id of the image the container runs (for pruning old releases)
 * @param exitCode the exit code once the container has exited
 */
public record ContainerInfo(
    ContainerId id,
    String name,
    String image,
    String imageId,
    ContainerState state,
    HealthStatus health,
    Map<String, String> labels,
    List<PortBinding> ports,
    Optional<Integer> exitCode) {

  public ContainerInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(health, "health");
    labels = Map.copyOf(labels);
    ports = List.copyOf(ports);
    Objects.requireNonNull(exitCode, "exitCode");
  }

  public boolean isRunning() {
    return state == ContainerState.RUNNING;
  }
}
