package kr.codeb.audit.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.ProviderInfo;
import kr.codeb.model.ProjectName;
import kr.codeb.runtime.BootUnits;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.runtime.ContainerSpec;
import kr.codeb.runtime.ContainerState;
import kr.codeb.runtime.ExecIo;
import kr.codeb.runtime.ExecRequest;
import kr.codeb.runtime.LogQuery;
import kr.codeb.runtime.LogReader;
import kr.codeb.runtime.OneOffResult;
import kr.codeb.runtime.RuntimeVersion;

/**
 * A {@link ContainerRuntime} that records the containers it creates, starts, stops and
 * removes, and the images and volumes it removes. A container's environment is recorded by
 * its names only; its values hold secrets. Reads pass through unrecorded.
 */
public final class AuditedRuntime implements ContainerRuntime {
  private static final String PROJECT_LABEL = "codeb.project";
  private final ContainerRuntime delegate;
  private final AuditWriter audit;

  public AuditedRuntime(ContainerRuntime delegate, AuditWriter audit) {
    this.delegate = delegate;
    this.audit = audit;
  }

  @Override
  public ProviderInfo info() {
    return delegate.info();
  }

  @Override
  public RuntimeVersion ping() {
    return delegate.ping();
  }

  @Override
  public void ensureImage(String image) {
    delegate.ensureImage(image);
  }

  @Override
  public ContainerId run(ContainerSpec spec) {
    ContainerId id = delegate.run(spec);
    record(spec.name(), "create", project(spec.name(), spec.labels()), null, json(spec));
    return id;
  }

  @Override
  public void stop(ContainerId id, Duration grace) {
    Optional<ContainerInfo> before = delegate.inspect(id);
    delegate.stop(id, grace);
    if (before.isPresent() && before.get().isRunning()) {
      record(before.get().name(), "stop", project(before.get()), state(before.get()),
          JsonText.object().put("state", "stopped"));
    }
  }

  @Override
  public void start(ContainerId id) {
    Optional<ContainerInfo> before = delegate.inspect(id);
    delegate.start(id);
    if (before.isPresent() && !before.get().isRunning()) {
      record(before.get().name(), "start", project(before.get()), state(before.get()),
          JsonText.object().put("state", ContainerState.RUNNING.name().toLowerCase()));
    }
  }

  @Override
  public boolean remove(ContainerId id) {
    Optional<ContainerInfo> before = delegate.inspect(id);
    boolean removed = delegate.remove(id);
    if (removed) {
      String name = before.map(ContainerInfo::name).orElse(id.value());
      record(name, "delete", before.map(this::project).orElseGet(() -> audit.projectOf(name)),
          before.map(AuditedRuntime::state).orElse(null), null);
    }
    return removed;
  }

  @Override
  public Optional<ContainerInfo> inspect(ContainerId id) {
    return delegate.inspect(id);
  }

  @Override
  public List<ContainerInfo> list(Map<String, String> labels) {
    return delegate.list(labels);
  }

  @Override
  public String logs(ContainerId id, int lines) {
    return delegate.logs(id, lines);
  }

  @Override
  public LogReader readLogs(ContainerId id, LogQuery query) {
    return delegate.readLogs(id, query);
  }

  /** Recorded with the program's name only: its arguments may carry secrets. */
  @Override
  public int exec(ContainerId id, ExecRequest request, ExecIo io) {
    int code = delegate.exec(id, request, io);
    String name = delegate.inspect(id).map(ContainerInfo::name).orElse(id.value());
    record(name, "exec", audit.projectOf(name), null, JsonText.object()
        .put("program", request.command().isEmpty() ? "" : request.command().get(0))
        .put("exitCode", code));
    return code;
  }

  @Override
  public OneOffResult runOnce(ContainerSpec spec, Duration timeout, int lines) {
    return ranOnce(spec, delegate.runOnce(spec, timeout, lines));
  }

  @Override
  public OneOffResult runOnce(ContainerSpec spec, Duration timeout, int lines,
      java.util.function.Consumer<String> output) {
    return ranOnce(spec, delegate.runOnce(spec, timeout, lines, output));
  }

  private OneOffResult ranOnce(ContainerSpec spec, OneOffResult result) {
    record(spec.name(), "run-once", project(spec.name(), spec.labels()), null, json(spec)
        .put("exitCode", result.exitCode()).put("timedOut", result.timedOut()));
    return result;
  }

  @Override
  public boolean removeImage(String image) {
    boolean removed = delegate.removeImage(image);
    if (removed) {
      audit.record(delegate.info().id(), "image:" + image, "delete", Optional.empty(),
          JsonText.object().put("image", image), null);
    }
    return removed;
  }

  /** Recorded only after the engine removed it; CodeB removes data volumes only when asked. */
  @Override
  public boolean removeVolume(String volume) {
    boolean removed = delegate.removeVolume(volume);
    if (removed) {
      audit.record(delegate.info().id(), "volume:" + volume, "delete",
          audit.projectOf(volume), JsonText.object().put("volume", volume), null);
    }
    return removed;
  }

  @Override
  public Optional<BootUnits> bootUnits() {
    return delegate.bootUnits();
  }

  @Override
  public void close() {
    delegate.close();
  }

  private void record(String name, String action, Optional<ProjectName> project, Object before,
      Object after) {
    audit.record(delegate.info().id(), "container:" + name, action, project, before, after);
  }

  private Optional<ProjectName> project(ContainerInfo info) {
    return project(info.name(), info.labels());
  }

  private Optional<ProjectName> project(String name, Map<String, String> labels) {
    String label = labels.get(PROJECT_LABEL);
    if (label != null) {
      try {
        return Optional.of(ProjectName.of(label));
      } catch (RuntimeException notAProjectName) {
        // A foreign label value: fall back to the name.
      }
    }
    return audit.projectOf(name);
  }

  private static JsonText state(ContainerInfo info) {
    return JsonText.object().put("image", info.image())
        .put("state", info.state().name().toLowerCase());
  }

  /** The spec without its environment's values. */
  private static JsonText json(ContainerSpec spec) {
    return JsonText.object().put("image", spec.image()).put("labels", spec.labels())
        .put("env", List.copyOf(new java.util.TreeSet<>(spec.env().keySet())))
        .put("ports", spec.ports().stream().map(p -> p.hostAddress().value() + ":"
            + p.hostPort() + "->" + p.containerPort()).toList())
        .put("volumes", spec.volumes().stream().map(v -> v.volume() + ":" + v.path()).toList());
  }
}
