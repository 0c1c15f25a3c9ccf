package kr.codeb.deploy;

import java.util.Objects;
import kr.codeb.Checks;
import kr.codeb.model.IpAddress;
import kr.codeb.runtime.ContainerRuntime;

/**
 * One app server a project runs on: its engine and the two addresses of it that a deploy needs.
 *
 * @param name the server's name in the fleet ({@code app1}); {@value #DEFAULT_NAME} for the one
 *     server of a context made without names
 * @param publishAddress where containers publish their host ports (127.0.0.1 when the proxy
 *     runs on the same server); also where the health gate probes
 * @param upstreamAddress the address the proxy dials to reach those ports (the app server's
 *     private address, or 127.0.0.1 on a single server)
 */
public record AppServer(String name, ContainerRuntime runtime, IpAddress publishAddress,
    IpAddress upstreamAddress) {
  /** The name of the one server of a context made without server names. */
  public static final String DEFAULT_NAME = "app";

  public AppServer {
    Checks.label("server name", name, "app1");
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(publishAddress, "publishAddress");
    Objects.requireNonNull(upstreamAddress, "upstreamAddress");
  }
}
