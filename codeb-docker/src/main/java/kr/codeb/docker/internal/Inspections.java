package kr.codeb.docker.internal;

import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Ports;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kr.codeb.deploy.HealthStatus;
import kr.codeb.model.IpAddress;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ContainerState;
import kr.codeb.runtime.PortBinding;

/** Reads docker's inspect answer into a {@link ContainerInfo}. */
final class Inspections {
  private Inspections() {}

  static ContainerInfo toInfo(InspectContainerResponse r) {
    return toInfo(r, EngineDialect.DOCKER, null);
  }

  /** The same as {@code dialect} reads states and health ({@code api} for refreshing it). */
  static ContainerInfo toInfo(InspectContainerResponse r, EngineDialect dialect,
      EngineDialect.RawApi api) {
    InspectContainerResponse.ContainerState s = r.getState();
    ContainerState state = dialect.state(s == null ? null : s.getStatus());
    HealthStatus health = dialect.health(r, api);
    Optional<Integer> exitCode = Optional.empty();
    if (s != null && s.getExitCodeLong() != null && (state == ContainerState.EXITED
        || state == ContainerState.DEAD || state == ContainerState.RESTARTING)) {
      exitCode = Optional.of(s.getExitCodeLong().intValue());
    }
    String name = r.getName() == null ? "" : r.getName().replaceFirst("^/", "");
    String image = r.getConfig() == null ? null : r.getConfig().getImage();
    Map<String, String> labels = r.getConfig() == null || r.getConfig().getLabels() == null
        ? Map.of() : r.getConfig().getLabels();
    return new ContainerInfo(new ContainerId(r.getId()), name, image, r.getImageId(), state,
        health, labels, ports(r), exitCode);
  }

  static ContainerState state(String status) {
    if (status == null) {
      return ContainerState.UNKNOWN;
    }
    return switch (status.toLowerCase(Locale.ROOT)) {
      case "created" -> ContainerState.CREATED;
      case "running" -> ContainerState.RUNNING;
      case "paused" -> ContainerState.PAUSED;
      case "restarting" -> ContainerState.RESTARTING;
      case "exited" -> ContainerState.EXITED;
      case "dead" -> ContainerState.DEAD;
      default -> ContainerState.UNKNOWN; // "removing" and anything newer
    };
  }

  static HealthStatus health(HealthState health) {
    if (health == null || health.getStatus() == null) {
      return HealthStatus.NONE;
    }
    return switch (health.getStatus().toLowerCase(Locale.ROOT)) {
      case "starting" -> HealthStatus.STARTING;
      case "healthy" -> HealthStatus.HEALTHY;
      case "unhealthy" -> HealthStatus.UNHEALTHY;
      default -> HealthStatus.NONE;
    };
  }

  /** The live bindings while running, else the configured ones (TCP only). */
  private static List<PortBinding> ports(InspectContainerResponse r) {
    Ports live = r.getNetworkSettings() == null ? null : r.getNetworkSettings().getPorts();
    List<PortBinding> bound = convert(live);
    if (bound.isEmpty() && r.getHostConfig() != null) {
      bound = convert(r.getHostConfig().getPortBindings());
    }
    return bound;
  }

  private static List<PortBinding> convert(Ports ports) {
    if (ports == null || ports.getBindings() == null) {
      return List.of();
    }
    Set<PortBinding> out = new LinkedHashSet<>();
    for (Map.Entry<ExposedPort, Ports.Binding[]> e : ports.getBindings().entrySet()) {
      ExposedPort exposed = e.getKey();
      if (e.getValue() == null || exposed.getProtocol() != InternetProtocol.TCP) {
        continue;
      }
      for (Ports.Binding b : e.getValue()) {
        Integer hostPort = parsePort(b.getHostPortSpec());
        if (hostPort == null) {
          continue;
        }
        String ip = b.getHostIp() == null || b.getHostIp().isBlank() ? "0.0.0.0" : b.getHostIp();
        try {
          out.add(new PortBinding(IpAddress.of(ip), hostPort, exposed.getPort()));
        } catch (RuntimeException ignored) {
          // an address CodeB cannot express: leave it out rather than fail the whole inspect
        }
      }
    }
    return new ArrayList<>(out);
  }

  private static Integer parsePort(String spec) {
    if (spec == null || spec.isBlank()) {
      return null;
    }
    try {
      int port = Integer.parseInt(spec.strip());
      return port > 0 && port <= 65535 ? port : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
