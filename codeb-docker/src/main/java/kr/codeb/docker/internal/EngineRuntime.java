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
import kr.codeb.runtime.ExecIo;
import kr.codeb.runtime.ExecRequest;
import kr.codeb.runtime.LogQuery;
import kr.codeb.runtime.LogReader;
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
  private final Optional<RemoteEngine> remote;

  protected EngineRuntime(String provider, DockerEngine engine) {
    this(provider, engine, Optional.empty());
  }

  /** A runtime whose engine is on another server, closing {@code remote} when it closes. */
  protected EngineRuntime(String provider, DockerEngine engine, Optional<RemoteEngine> remote) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.engine = Objects.requireNonNull(engine, "engine");
    this.remote = Objects.requireNonNull(remote, "remote");
  }

  /** Where the engine is, for messages. */
  protected String location() {
    return remote.map(RemoteEngine::location).orElseGet(engine::location);
  }

  /** Whether the engine runs on another server. */
  protected boolean isRemote() {
    return remote.isPresent();
  }

  @Override
  public ProviderInfo info() {
    return new ProviderInfo(provider, location());
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
  public void start(ContainerId id) {
    engine.start(Objects.requireNonNull(id, "id"));
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
  public kr.codeb.runtime.OneOffResult runOnce(ContainerSpec spec, Duration timeout, int lines) {
    return runOnce(spec, timeout, lines, line -> { });
  }

  @Override
  public kr.codeb.runtime.OneOffResult runOnce(ContainerSpec spec, Duration timeout, int lines,
      java.util.function.Consumer<String> output) {
    return engine.runOnce(Objects.requireNonNull(spec, "spec"),
        Objects.requireNonNull(timeout, "timeout"), lines,
        Objects.requireNonNull(output, "output"));
  }

  @Override
  public LogReader readLogs(ContainerId id, LogQuery query) {
    return engine.readLogs(Objects.requireNonNull(id, "id"),
        Objects.requireNonNull(query, "query"));
  }

  @Override
  public int exec(ContainerId id, ExecRequest request, ExecIo io) {
    return engine.exec(Objects.requireNonNull(id, "id"), Objects.requireNonNull(request, "request"),
        Objects.requireNonNull(io, "io"));
  }

  @Override
  public boolean removeImage(String image) {
    return engine.removeImage(image);
  }

  @Override
  public boolean removeVolume(String volume) {
    return engine.removeVolume(volume);
  }

  @Override
  public void close() {
    try {
      engine.close();
    } finally {
      remote.ifPresent(RemoteEngine::close);
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + location() + "]";
  }
}
