package kr.codeb.docker;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.docker.internal.DockerEngine;
import kr.codeb.docker.internal.EngineRuntime;
import kr.codeb.docker.internal.RemoteEngine;
import kr.codeb.fleet.ServerLink;
import kr.codeb.runtime.ContainerRuntime;

/**
 * A {@link ContainerRuntime} on a Docker engine (docker-java over its zerodep transport). The
 * connection opens on first use; {@link DockerConfig#auto()} finds the engine through
 * {@code DOCKER_HOST}, then {@code /var/run/docker.sock}. Safe for concurrent use.
 *
 * <p>Failures are the CodeB family with provider id {@code docker} and the engine's HTTP
 * status: a taken container name is a {@code ConflictException}, a refused registry login an
 * {@code AuthException}, an unreachable engine an {@code UnavailableException} naming every
 * place tried. Registry credentials (see {@link DockerConfig}) never reach a log or a message.
 *
 * <p>{@link #onServer} reaches the engine of another server over SSH.
 */
public final class DockerRuntime extends EngineRuntime {
  private DockerRuntime(DockerConfig config) {
    super("docker", new DockerEngine(config));
  }

  private DockerRuntime(DockerConfig config, RemoteEngine remote) {
    super("docker", new DockerEngine(config.withHost(remote.host())).labelled(remote.location()),
        Optional.of(remote));
  }

  /** A runtime for {@code config}; does no I/O. */
  public static DockerRuntime create(DockerConfig config) {
    return new DockerRuntime(Objects.requireNonNull(config, "config"));
  }

  /**
   * A runtime for the Docker engine on the server {@code link} reaches: each connection runs
   * {@code docker system dial-stdio} there (with {@code --host} when {@code config} names a
   * {@code unix://} socket). {@code config}'s other settings (credentials, timeouts) apply. The
   * link stays the caller's; the bridge closes with the runtime.
   */
  public static DockerRuntime onServer(ServerLink link, DockerConfig config) {
    return onServer(link, false, config);
  }

  static DockerRuntime onServer(ServerLink link, boolean ownsLink, DockerConfig config) {
    Optional<Path> socket = config.host().filter(h -> "unix".equals(h.getScheme()))
        .map(h -> Path.of(h.getPath()));
    return new DockerRuntime(config, RemoteEngine.open(link, ownsLink, "docker", socket));
  }
}
