package kr.codeb;

import java.util.List;
import java.util.Map;

/** What the engine reports about one container. */
public record ContainerInfo(
    ContainerId id,
    String name,
    String image,
    ContainerState state,
    HealthStatus health,
    Map<String, String> labels,
    List<PortBinding> ports) {

  public ContainerInfo {
    labels = Map.copyOf(labels);
    ports = List.copyOf(ports);
  }
}
