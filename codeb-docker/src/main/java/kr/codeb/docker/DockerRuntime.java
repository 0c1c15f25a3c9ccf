package kr.codeb.docker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.ContainerId;
import kr.codeb.ContainerInfo;
import kr.codeb.ContainerRuntime;
import kr.codeb.ContainerSpec;
import kr.codeb.ProviderInfo;
import kr.codeb.RuntimeVersion;
import kr.codeb.docker.internal.DockerEngine;

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
public final class DockerRuntime implements ContainerRuntime {
  private final DockerEngine engine;

  private DockerRuntime(DockerConfig config) {
    this.engine = new DockerEngine(config);
  }

  /** A runtime for {@code config}; does no I/O. */
  public static DockerRuntime create(DockerConfig config) {
    return new DockerRuntime(Objects.requireNonNull(config, "config"));
  }

  @Override
  public ProviderInfo info() {
    return new ProviderInfo("docker", engine.location());
  }

  @Override
  public RuntimeVersion ping() {
    return engine.ping();
  }

  @Override
  public ContainerId run(ContainerSpec spec) {
    return engine.run(Objects.requireNonNull(spec, "spec"));
  }

  @Override
  public void stop(ContainerId id, Duration grace) {
    engine.stop(Objects.requireNonNull(id, "id"), Objects.requireNonNull(grace, "grace"));
  }

  @Override
  public boolean remove(ContainerId id) {
    return engine.remove(Objects.requireNonNull(id, "id"));
  }

  @Override
  public Optional<ContainerInfo> inspect(ContainerId id) {
    return engine.inspect(Objects.requireNonNull(id, "id"));
  }

  @Override
  public List<ContainerInfo> list(Map<String, String> labels) {
    return engine.list(Map.copyOf(labels));
  }

  @Override
  public String logs(ContainerId id, int lines) {
    return engine.logs(Objects.requireNonNull(id, "id"), lines);
  }

  @Override
  public boolean removeImage(String image) {
    return engine.removeImage(image);
  }

  @Override
  public void close() {
    engine.close();
  }

  @Override
  public String toString() {
    return "DockerRuntime[" + engine.location() + "]";
  }
}
