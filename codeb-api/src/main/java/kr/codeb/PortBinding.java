package kr.codeb;

import java.util.Objects;
import kr.codeb.internal.Checks;

/** A container port published on a host address and port (TCP). */
public record PortBinding(IpAddress hostAddress, int hostPort, int containerPort) {
  public PortBinding {
    Objects.requireNonNull(hostAddress, "hostAddress");
    Checks.port("host port", hostPort);
    Checks.port("container port", containerPort);
  }
}
