package kr.codeb.testkit;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import kr.codeb.AuthException;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.ProviderInfo;
import kr.codeb.deploy.HealthStatus;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.runtime.ContainerSpec;
import kr.codeb.runtime.ExecIo;
import kr.codeb.runtime.ExecRequest;
import kr.codeb.runtime.LogLine;
import kr.codeb.runtime.LogQuery;
import kr.codeb.runtime.LogReader;
import kr.codeb.runtime.OneOffResult;
import kr.codeb.runtime.ImageRef;
import kr.codeb.runtime.PortBinding;
import kr.codeb.runtime.RuntimeVersion;
import kr.codeb.testkit.internal.MemContainer;
import kr.codeb.testkit.internal.MemLogReader;
import kr.codeb.testkit.internal.MemShell;

/**
 * A container engine simulated in memory, for tests, demos and jshell; it passes
 * {@code ContainerRuntimeContract}. Nothing runs: containers are records of state, labels,
 * ports and log lines. Handles made by {@link #reopen()} share the same containers and images.
 *
 * <h2>Image conventions</h2>
 * The image reference decides what a "pull" and the image's own command do, so deploy tests can
 * simulate failures without Docker:
 * <ul>
 *   <li>containing {@code nope} or {@code notfound}: the pull fails with {@link NotFoundException};
 *   <li>containing {@code denied}: the pull fails with {@link AuthException};
 *   <li>containing {@code exit}: the container exits at once with code 1 ({@code EXITED});
 *   <li>containing {@code unhealthy}: it runs, health {@code UNHEALTHY}, and its HTTP server
 *       answers 503;
 *   <li>containing {@code starting}: it runs with health {@code STARTING} forever;
 *   <li>containing {@code nohealth}: it runs with health {@code NONE} (no healthcheck);
 *   <li>anything else: it runs, health {@code HEALTHY}.
 * </ul>
 * A running image's own command writes one log line, {@code IMAGE: running (mem)}.
 * Every other image "pulls" fine and is then known locally ({@link #images()}); {@link
 * #addImage} makes one known without a pull.
 *
 * <h2>Commands</h2>
 * A command replaces the image's own (and its {@code exit} convention). {@code sh -c SCRIPT} is
 * interpreted just enough for tests: statements split on {@code ;}, {@code &&} and newlines;
 * {@code echo} writes a log line (expanding {@code $VAR} and {@code ${VAR}} from the spec's
 * environment, honouring quotes, ignoring redirections); {@code exit N} exits with {@code N};
 * {@code httpd}, {@code exec} anything, and a {@code sleep} that is the last statement keep it
 * running (an earlier {@code sleep} is over at once); anything else is skipped. A script that ends without one of those exits with 0. Any other command runs.
 *
 * <h2>HTTP</h2>
 * With {@link #serveHttp(boolean) serveHttp(true)}, every running container's published ports
 * get a tiny JDK HTTP server on the binding's address when it is a loopback one (127.0.0.2, so two
 * mem engines can stand for two app servers publishing the same port; else 127.0.0.1) answering
 * every path with 200 (503 for an {@code unhealthy} image), the image reference as the body and
 * the address in {@code X-Served-By}, so a deploy
 * engine's health probes work end to end. A host port already published by another running
 * container, or taken on the machine, fails the run with {@link ConflictException}.
 *
 * <p>{@link #stop} exits with 143 (SIGTERM); the restart policy is never simulated. Test hooks
 * {@link #crash} and {@link #setHealth} change a container's state later.
 */
public final class MemContainerRuntime implements ContainerRuntime {

  private final Storage storage;
  private final String name;
  private final boolean anonymous;

  private MemContainerRuntime(Storage storage, String name, boolean anonymous) {
    this.storage = storage;
    this.name = name;
    this.anonymous = anonymous;
  }

  /** A new, empty engine that serves no HTTP. */
  public static MemContainerRuntime create() {
    return new MemContainerRuntime(new Storage(), "anonymous", true);
  }

  static MemContainerRuntime named(String name) {
    return new MemContainerRuntime(new Storage(), name, false);
  }

  /** Another handle on the same engine. */
  public MemContainerRuntime reopen() {
    return new MemContainerRuntime(storage, name, false);
  }

  /**
   * Whether containers started from now on serve HTTP on their published ports (127.0.0.1
   * only). Returns this runtime.
   */
  public MemContainerRuntime serveHttp(boolean serve) {
    synchronized (storage) {
      storage.serveHttp = serve;
    }
    return this;
  }

  /** Makes an image known locally, as if pulled. Returns this runtime. */
  public MemContainerRuntime addImage(String image) {
    synchronized (storage) {
      storage.images.add(image);
    }
    return this;
  }

  /** The images known locally (added or pulled). */
  public Set<String> images() {
    synchronized (storage) {
      return Set.copyOf(storage.images);
    }
  }

  /** The images pulled so far, in order (a pull happens when {@code run} meets an unknown image). */
  public List<String> pulls() {
    synchronized (storage) {
      return List.copyOf(storage.pulls);
    }
  }

  /** Makes a running container exit with {@code exitCode}, as if it crashed (test hook). */
  public void crash(ContainerId id, int exitCode) {
    synchronized (storage) {
      MemContainer c = find(id).orElseThrow(() -> notFound(id));
      if (c.isRunning()) {
        c.exit(exitCode);
      }
    }
  }

  /** Sets a container's health verdict (test hook). */
  public void setHealth(ContainerId id, HealthStatus health) {
    synchronized (storage) {
      find(id).orElseThrow(() -> notFound(id)).setHealth(health);
    }
  }

  @Override
  public ProviderInfo info() {
    return new ProviderInfo("mem", "mem:" + name);
  }

  @Override
  public RuntimeVersion ping() {
    return new RuntimeVersion("mem", "1.0", "mem");
  }

  @Override
  public ContainerId run(ContainerSpec spec) {
    Objects.requireNonNull(spec, "spec");
    synchronized (storage) {
      if (find(new ContainerId(spec.name())).isPresent()) {
        throw new ConflictException("a container named " + spec.name()
            + " already exists on mem:" + name + "; nothing was started", "mem", 409, null);
      }
      pullIfAbsent(spec.image());
      for (PortBinding p : spec.ports()) {
        for (MemContainer other : storage.containers.values()) {
          if (other.isRunning() && other.spec().ports().stream()
              .anyMatch(o -> o.hostPort() == p.hostPort()
                  && o.hostAddress().equals(p.hostAddress()))) {
            throw new ConflictException("host port " + p.hostAddress().value() + ":"
                + p.hostPort() + " is already published by " + other.spec().name()
                + "; nothing was started", "mem", 500, null);
          }
        }
      }
      MemContainer c = new MemContainer(spec);
      c.start();
      if (c.isRunning() && storage.serveHttp) {
        try {
          c.serve();
        } catch (IOException e) {
          c.stopServers();
          throw new ConflictException("cannot publish " + spec.name() + "'s ports on 127.0.0.1: "
              + e.getMessage() + "; nothing was started", "mem", 500, null);
        }
      }
      storage.containers.put(c.id(), c);
      return new ContainerId(c.id());
    }
  }

  @Override
  public void ensureImage(String image) {
    ImageRef.check(image);
    synchronized (storage) {
      pullIfAbsent(image);
    }
  }

  private void pullIfAbsent(String image) {
    if (storage.images.contains(image)) {
      return;
    }
    if (image.contains("nope") || image.contains("notfound")) {
      throw new NotFoundException("image " + image + " not found: neither local nor in its"
          + " registry (mem: convention 'nope'/'notfound')", "mem", 404, null);
    }
    if (image.contains("denied")) {
      throw new AuthException("the registry refused the credentials for " + image
          + " (mem: convention 'denied')", "mem", 401, null);
    }
    storage.images.add(image);
    storage.pulls.add(image);
  }

  @Override
  public void stop(ContainerId id, Duration grace) {
    Objects.requireNonNull(grace, "grace");
    synchronized (storage) {
      MemContainer c = find(id).orElseThrow(() -> notFound(id));
      if (c.isRunning()) {
        c.exit(143);
      }
    }
  }

  @Override
  public void start(ContainerId id) {
    synchronized (storage) {
      MemContainer c = find(id).orElseThrow(() -> notFound(id));
      if (!c.isRunning()) {
        c.start();
        if (c.isRunning() && storage.serveHttp) {
          try {
            c.serve();
          } catch (IOException e) {
            c.stopServers();
            throw new ConflictException("cannot publish " + c.id() + "'s ports on 127.0.0.1: "
                + e.getMessage(), "mem", 500, null);
          }
        }
      }
    }
  }

  @Override
  public boolean remove(ContainerId id) {
    synchronized (storage) {
      Optional<MemContainer> c = find(id);
      c.ifPresent(container -> {
        container.stopServers();
        storage.containers.remove(container.id());
      });
      return c.isPresent();
    }
  }

  @Override
  public Optional<ContainerInfo> inspect(ContainerId id) {
    synchronized (storage) {
      return find(id).map(MemContainer::info);
    }
  }

  @Override
  public List<ContainerInfo> list(Map<String, String> labels) {
    synchronized (storage) {
      List<ContainerInfo> out = new ArrayList<>();
      for (MemContainer c : storage.containers.values()) {
        if (c.spec().labels().entrySet().containsAll(labels.entrySet())) {
          out.add(c.info());
        }
      }
      return out;
    }
  }

  @Override
  public String logs(ContainerId id, int lines) {
    if (lines < 0) {
      throw new InvalidRequestException("the number of log lines must be 0 or more, not " + lines);
    }
    synchronized (storage) {
      List<String> all = find(id).orElseThrow(() -> notFound(id)).logs();
      StringBuilder out = new StringBuilder();
      for (String line : all.subList(Math.max(0, all.size() - lines), all.size())) {
        out.append(line).append('\n');
      }
      return out.toString();
    }
  }

  /**
   * Interprets the command at once (see the class comment): a script that ends exits with its
   * code; one that keeps running (a final {@code sleep}, {@code exec}) "times out" without
   * waiting. Nothing stays behind.
   */
  @Override
  public OneOffResult runOnce(ContainerSpec spec, Duration timeout, int lines) {
    Objects.requireNonNull(spec, "spec");
    if (timeout.isNegative() || timeout.isZero() || lines < 0) {
      throw new InvalidRequestException("a one-off container needs a positive timeout and 0 or"
          + " more output lines, not " + timeout + " and " + lines);
    }
    synchronized (storage) {
      if (find(new ContainerId(spec.name())).isPresent()) {
        throw new ConflictException("a container named " + spec.name()
            + " already exists on mem:" + name + "; nothing was started", "mem", 409, null);
      }
      pullIfAbsent(spec.image());
    }
    MemShell.Outcome outcome = spec.command().isEmpty()
        ? new MemShell.Outcome(List.of(), spec.image().contains("exit") ? Optional.of(1)
            : Optional.empty())
        : MemShell.interpret(spec);
    List<LogLine> all = outcome.logs();
    StringBuilder out = new StringBuilder();
    for (LogLine line : all.subList(Math.max(0, all.size() - lines), all.size())) {
      out.append(line.text()).append('\n');
    }
    return outcome.exitCode().map(code -> new OneOffResult(code, out.toString(), false))
        .orElseGet(() -> new OneOffResult(-1, out.toString(), true));
  }

  @Override
  public LogReader readLogs(ContainerId id, LogQuery query) {
    Objects.requireNonNull(query, "query");
    synchronized (storage) {
      MemContainer c = find(id).orElseThrow(() -> notFound(id));
      List<LogLine> all = c.logLines();
      boolean inTime = query.since().map(since -> !c.startedAt().isBefore(
          since.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))).orElse(true);
      List<LogLine> selected = inTime ? all : List.of();
      if (query.tail().isPresent()) {
        int n = query.tail().getAsInt();
        selected = selected.subList(Math.max(0, selected.size() - n), selected.size());
      }
      String containerId = c.id();
      return new MemLogReader(selected, all.size(), query.follow(), () -> {
        synchronized (storage) {
          MemContainer now = storage.containers.get(containerId);
          return now == null || !now.isRunning() ? Optional.empty()
              : Optional.of(now.logLines());
        }
      });
    }
  }

  /**
   * Runs {@code request} by the {@code exec} rules of the mem shell (see the class comment); the
   * input is read whole before the command "runs".
   */
  @Override
  public int exec(ContainerId id, ExecRequest request, ExecIo io) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(io, "io");
    Map<String, String> env;
    synchronized (storage) {
      MemContainer c = find(id).orElseThrow(() -> notFound(id));
      if (!c.isRunning()) {
        throw new ConflictException("container " + id + " on mem:" + name + " is not running;"
            + " commands run only in a running container", "mem", 409, null);
      }
      env = c.spec().env();
    }
    try {
      byte[] input = request.stdin() ? io.stdin().readAllBytes() : new byte[0];
      MemShell.ExecOutcome outcome = MemShell.exec(request.command(), env, input);
      for (LogLine line : outcome.output()) {
        java.io.OutputStream target = line.source() == LogLine.Source.STDERR && !request.tty()
            ? io.stderr() : io.stdout();
        target.write((line.text() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        target.flush();
      }
      return outcome.exitCode();
    } catch (IOException e) {
      throw new kr.codeb.UnavailableException("passing the command's input or output failed: "
          + e.getMessage(), "mem", 0, e);
    }
  }

  @Override
  public boolean removeImage(String image) {
    synchronized (storage) {
      if (!storage.images.contains(image)) {
        return false;
      }
      for (MemContainer c : storage.containers.values()) {
        if (c.spec().image().equals(image)) {
          throw new ConflictException("image " + image + " is still used by container "
              + c.spec().name() + "; nothing was removed", "mem", 409, null);
        }
      }
      storage.images.remove(image);
      return true;
    }
  }

  /** For a runtime from {@link #create()}: stops every HTTP server it started. */
  @Override
  public void close() {
    if (anonymous) {
      synchronized (storage) {
        storage.containers.values().forEach(MemContainer::stopServers);
      }
    }
  }

  private Optional<MemContainer> find(ContainerId id) {
    MemContainer byId = storage.containers.get(id.value());
    if (byId != null) {
      return Optional.of(byId);
    }
    return storage.containers.values().stream()
        .filter(c -> c.spec().name().equals(id.value())).findFirst();
  }

  private NotFoundException notFound(ContainerId id) {
    return new NotFoundException("no container " + id + " on mem:" + name, "mem", 404, null);
  }

  private static final class Storage {
    private final Map<String, MemContainer> containers = new LinkedHashMap<>();
    private final Set<String> images = new LinkedHashSet<>();
    private final List<String> pulls = new ArrayList<>();
    private boolean serveHttp;
  }
}
