package kr.codeb.podman;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import kr.codeb.docker.DockerConfig;
import kr.codeb.docker.internal.DockerEngine;
import kr.codeb.docker.internal.EngineRuntime;
import kr.codeb.docker.internal.RemoteEngine;
import kr.codeb.fleet.ServerLink;
import kr.codeb.podman.internal.PodmanDialect;
import kr.codeb.runtime.BootUnits;
import kr.codeb.runtime.ContainerRuntime;

/**
 * A {@link ContainerRuntime} on a Podman API service ({@code podman system service}), through
 * its Docker-compatible API with codeb-docker's engine (docker-java), and the libpod API where
 * Podman differs. Safe for concurrent use; the connection opens on first use.
 *
 * <p>The same contract as Docker ({@code ContainerRuntimeContract} passes against Podman 4.3),
 * with these Podman facts:
 * <ul>
 *   <li>Image references are fully qualified the way Docker reads them ({@code nginx:1} runs
 *       {@code docker.io/library/nginx:1}; {@code localhost/...} and references with a registry
 *       are unchanged), and the container's image is reported qualified.
 *   <li>Every container gets explicit {@code nofile}/{@code nproc} limits (see
 *       {@link PodmanConfig}), so it starts even where Podman's defaults exceed the machine's
 *       hard limits.
 *   <li>Health: without systemd Podman never runs healthchecks by itself. By default a due
 *       check is run through the libpod API when a container is inspected, so the health is the
 *       check's real answer; with {@link PodmanConfig#withDueHealthchecks(boolean) false} it is
 *       {@code STARTING} for as long as nothing runs it. The deploy gate probes the app's URL
 *       either way and only vetoes on unhealthy or exited.
 *   <li>Each call that is not a stream has a deadline ({@link PodmanConfig#callTimeout()},
 *       60 s by default), as on Docker: a frozen service fails the call instead of hanging it.
 *   <li>The restart policy is {@code unless-stopped}, which Podman treats like {@code always};
 *       Podman has no daemon, so after a reboot containers come back only through systemd
 *       (see {@link QuadletUnit}).
 * </ul>
 * Failures are the CodeB family with provider id {@code podman} and the service's HTTP status
 * (Podman answers a taken name with 500; it is still a {@code ConflictException}).
 */
public final class PodmanRuntime extends EngineRuntime {
  private final PodmanConfig config;

  private PodmanRuntime(PodmanConfig config) {
    super("podman", new DockerEngine(toDockerConfig(config), new PodmanDialect(config)));
    this.config = config;
  }

  private PodmanRuntime(PodmanConfig config, RemoteEngine remote) {
    super("podman", new DockerEngine(toDockerConfig(config).withHost(remote.host()),
        new PodmanDialect(config)).labelled(remote.location()), Optional.of(remote));
    this.config = config;
  }

  /** A runtime for {@code config}; does no I/O. */
  public static PodmanRuntime create(PodmanConfig config) {
    return new PodmanRuntime(Objects.requireNonNull(config, "config"));
  }

  /**
   * A runtime for the Podman service on the server {@code link} reaches: each connection runs
   * {@code podman system dial-stdio} there (with {@code --url} when {@code config} names a
   * socket). The link stays the caller's; the bridge closes with the runtime.
   */
  public static PodmanRuntime onServer(ServerLink link, PodmanConfig config) {
    return onServer(link, false, config);
  }

  static PodmanRuntime onServer(ServerLink link, boolean ownsLink, PodmanConfig config) {
    return new PodmanRuntime(config, RemoteEngine.open(link, ownsLink, "podman", config.socket()));
  }

  private static DockerConfig toDockerConfig(PodmanConfig config) {
    // Docker's own variables (DOCKER_HOST, CODEB_DOCKER_*) must not steer a Podman runtime.
    UnaryOperator<String> env = config.environment();
    UnaryOperator<String> filtered = name -> name.startsWith("DOCKER_")
        || name.startsWith("CODEB_DOCKER_") ? null : env.apply(name);
    DockerConfig docker = DockerConfig.auto()
        .withEnvironment(filtered)
        .withDefaultSocket(config.rootfulSocket())
        .withTimeouts(config.connectTimeout(), config.responseTimeout())
        .withCallTimeout(config.callTimeout());
    if (config.socket().isPresent()) {
      docker = docker.withHost(URI.create("unix://" + config.socket().get()));
    }
    if (config.registryUser().isPresent()) {
      docker = docker.withRegistryCredentials(config.registryUser().get(),
          config.registryPassword().orElseThrow());
    }
    if (config.registryHost().isPresent()) {
      docker = docker.withRegistryHost(config.registryHost().get());
    }
    return docker;
  }

  /** The config this runtime was made with. */
  /**
   * Quadlet units ({@link QuadletUnit}): Podman has no daemon that restarts containers at boot.
   * None for a service on another server: the units would be written on this machine.
   */
  @Override
  public Optional<BootUnits> bootUnits() {
    if (isRemote()) {
      return Optional.empty();
    }
    return Optional.of((spec, dir) -> QuadletUnit.of(spec, QuadletUnit.Options.defaults()).write(dir));
  }

  public PodmanConfig config() {
    return config;
  }
}
