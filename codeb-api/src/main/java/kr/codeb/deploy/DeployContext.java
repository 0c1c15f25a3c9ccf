package kr.codeb.deploy;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import kr.codeb.InvalidRequestException;
import kr.codeb.UnsupportedFeatureException;
import kr.codeb.fleet.Server;
import kr.codeb.model.IpAddress;
import kr.codeb.ports.SsotStore;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.runtime.ContainerRuntime;

/**
 * What the deploy operations work on: the SSOT, the edge's proxy, the release store, and the
 * app servers the project runs on (one, or several: see {@link Deployments}). Every server
 * publishes a slot on the same port (one allocation), and the proxy's route for the project
 * lists one upstream per server.
 *
 * @param servers at least one, names unique, in the order the route lists their upstreams
 */
public record DeployContext(
    SsotStore ssot,
    ReverseProxy proxy,
    ReleaseStore releases,
    List<AppServer> servers) {

  public DeployContext {
    Objects.requireNonNull(ssot, "ssot");
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(releases, "releases");
    servers = List.copyOf(Objects.requireNonNull(servers, "servers"));
    if (servers.isEmpty()) {
      throw new InvalidRequestException("a deploy needs at least one app server");
    }
    Set<String> names = new HashSet<>();
    Set<String> upstreams = new HashSet<>();
    for (AppServer s : servers) {
      if (!names.add(s.name())) {
        throw new InvalidRequestException("app server " + s.name() + " is listed twice");
      }
      if (!upstreams.add(s.upstreamAddress().value())) {
        throw new InvalidRequestException("app servers " + servers.stream().map(AppServer::name)
            .toList() + " share the upstream address " + s.upstreamAddress() + ": each server"
            + " of a project needs its own, since they publish the same port");
      }
    }
  }

  /** One app server, named {@value AppServer#DEFAULT_NAME}. */
  public DeployContext(SsotStore ssot, ContainerRuntime runtime, ReverseProxy proxy,
      ReleaseStore releases, IpAddress publishAddress, IpAddress upstreamAddress) {
    this(ssot, proxy, releases, List.of(new AppServer(AppServer.DEFAULT_NAME, runtime,
        publishAddress, upstreamAddress)));
  }

  /** Everything on one server: publish and dial on 127.0.0.1. */
  public static DeployContext local(SsotStore ssot, ContainerRuntime runtime, ReverseProxy proxy,
      ReleaseStore releases) {
    return new DeployContext(ssot, runtime, proxy, releases, Server.LOOPBACK, Server.LOOPBACK);
  }

  /** Whether the project runs on more than one app server. */
  public boolean severalServers() {
    return servers.size() > 1;
  }

  /** The same SSOT, proxy and release store with {@code server} alone. */
  public DeployContext on(AppServer server) {
    return new DeployContext(ssot, proxy, releases, List.of(server));
  }

  /** The server of a single-server context. */
  public AppServer only() {
    if (servers.size() > 1) {
      throw new UnsupportedFeatureException("this operation works on one app server, and the"
          + " project runs on " + servers.stream().map(AppServer::name).toList()
          + "; it is not available for a project on several app servers yet");
    }
    return servers.get(0);
  }

  /** The engine of a single-server context ({@link #only()}). */
  public ContainerRuntime runtime() {
    return only().runtime();
  }

  /** The publish address of a single-server context ({@link #only()}). */
  public IpAddress publishAddress() {
    return only().publishAddress();
  }

  /** The upstream address of a single-server context ({@link #only()}). */
  public IpAddress upstreamAddress() {
    return only().upstreamAddress();
  }
}
