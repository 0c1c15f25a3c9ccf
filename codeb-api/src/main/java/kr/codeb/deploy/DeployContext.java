package kr.codeb.deploy;

import java.util.Objects;
import kr.codeb.fleet.Server;
import kr.codeb.model.IpAddress;
import kr.codeb.ports.SsotStore;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.runtime.ContainerRuntime;

/**
 * What the deploy operations work on: the SSOT, the app server's engine, the edge's proxy and
 * the release store, plus the two addresses of the app server that matter.
 *
 * @param publishAddress where containers publish their host ports (127.0.0.1 when the proxy
 *     runs on the same server); also where the health gate probes
 * @param upstreamAddress the address the proxy dials to reach those ports (the app server's
 *     private address, or 127.0.0.1 on a single server)
 */
public record DeployContext(
    SsotStore ssot,
    ContainerRuntime runtime,
    ReverseProxy proxy,
    ReleaseStore releases,
    IpAddress publishAddress,
    IpAddress upstreamAddress) {

  public DeployContext {
    Objects.requireNonNull(ssot, "ssot");
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(releases, "releases");
    Objects.requireNonNull(publishAddress, "publishAddress");
    Objects.requireNonNull(upstreamAddress, "upstreamAddress");
  }

  /** Everything on one server: publish and dial on 127.0.0.1. */
  public static DeployContext local(SsotStore ssot, ContainerRuntime runtime, ReverseProxy proxy,
      ReleaseStore releases) {
    return new DeployContext(ssot, runtime, proxy, releases, Server.LOOPBACK, Server.LOOPBACK);
  }
}
