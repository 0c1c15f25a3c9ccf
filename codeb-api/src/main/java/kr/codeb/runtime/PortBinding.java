package kr.codeb.runtime;

import java.util.Objects;
import kr.codeb.Checks;
import kr.codeb.model.IpAddress;

/** A container port published on a host address and port (TCP). */
public record PortBinding(IpAddress hostAddress, int hostPort, int containerPort) {
  public PortBinding {
    Objects.requireNonNull(hostAddress, "hostAddress");
    Checks.port("host port", hostPort);
    Checks.port("container port", containerPort);
  }
}
