package kr.codeb.docker.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.ProviderInfo;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.runtime.ContainerSpec;
import kr.codeb.runtime.ImageRef;
import kr.codeb.runtime.RuntimeVersion;

/**
 * The {@link ContainerRuntime} methods on a {@link DockerEngine}, checked and forwarded: the one
 * body behind {@code DockerRuntime} and {@code PodmanRuntime}, which differ only in how their
 * engine is configured (the dialect) and in their provider id.
 */
public abstract class EngineRuntime implements ContainerRuntime {
  private final String provider;
  private final DockerEngine engine;

  protected EngineRuntime(String provider, DockerEngine engine) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.engine = Objects.requireNonNull(engine, "engine");
  }

  @Override
  public ProviderInfo info() {
    return new ProviderInfo(provider, engine.location());
  }

  @Override
  public RuntimeVersion ping() {
    return engine.ping();
  }

  @Override
  public void ensureImage(String image) {
    engine.ensureImage(ImageRef.check(image));
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
    return getClass().getSimpleName() + "[" + engine.location() + "]";
  }
}
