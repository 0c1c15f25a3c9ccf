package kr.codeb.docker;

import java.util.Objects;
import kr.codeb.docker.internal.DockerEngine;
import kr.codeb.docker.internal.EngineRuntime;
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
 */
public final class DockerRuntime extends EngineRuntime {
  private DockerRuntime(DockerConfig config) {
    super("docker", new DockerEngine(config));
  }

  /** A runtime for {@code config}; does no I/O. */
  public static DockerRuntime create(DockerConfig config) {
    return new DockerRuntime(Objects.requireNonNull(config, "config"));
  }
}
