package kr.codeb.cli.internal;

import java.util.Optional;
import kr.codeb.deploy.Deployments;
import kr.codeb.deploy.ReleaseStore;
import kr.codeb.runtime.ContainerRuntime;

/** The providers of one deploy verb, closed together (given back to the pool). */
public final class DeployWork implements AutoCloseable {
  private final DeployProviders providers;

  DeployWork(DeployProviders providers) {
    this.providers = providers;
  }

  public Deployments deployments() {
    return providers.deployments();
  }

  public ContainerRuntime runtime() {
    return providers.context().runtime();
  }

  /** The engine of the app server {@code server} of the deploy's context. */
  public ContainerRuntime runtime(String server) {
    return providers.context().servers().stream().filter(s -> s.name().equals(server))
        .findFirst().orElseThrow(() -> new kr.codeb.NotFoundException("no app server "
            + server + " in this deploy")).runtime();
  }

  /** The project's slot containers: logs and exec. */
  public kr.codeb.deploy.ProjectContainers containers() {
    return new kr.codeb.deploy.ProjectContainers(providers.context());
  }

  public kr.codeb.proxy.ReverseProxy proxy() {
    return providers.proxy();
  }

  public ReleaseStore releases() {
    return providers.releases();
  }

  /** The config's server whose engine the runtime is, when the config names one. */
  public Optional<String> runtimeServer() {
    return providers.runtimeServer().map(kr.codeb.fleet.Server::name);
  }

  @Override
  public void close() {
    providers.close();
  }
}
