package kr.codeb.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.transport.DockerHttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.UnavailableException;
import kr.codeb.docker.DockerConfig;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ContainerSpec;
import kr.codeb.runtime.ContainerState;
import kr.codeb.runtime.ExecIo;
import kr.codeb.runtime.ExecRequest;
import kr.codeb.runtime.LogQuery;
import kr.codeb.runtime.LogReader;
import kr.codeb.runtime.OneOffResult;
import kr.codeb.runtime.PortBinding;
import kr.codeb.runtime.RuntimeVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Docker work behind {@code DockerRuntime}, on docker-java. */
public final class DockerEngine implements AutoCloseable {
  private static final Duration RESTART_POLL = Duration.ofMillis(20);
  /** The variable the Docker factory reads another call timeout from ({@code 2m}). */
  public static final String CALL_TIMEOUT_VARIABLE = "CODEB_DOCKER_CALL_TIMEOUT";
  private static final Logger LOG = LoggerFactory.getLogger(DockerEngine.class);

  private final DockerConfig config;
  private final EngineDialect dialect;
  private final String provider;
  private final Connector connector;
  private final EngineDialect.RawApi raw = this::raw;
  private final EngineImages images;

  public DockerEngine(DockerConfig config) {
    this(config, EngineDialect.DOCKER);
  }

  /** An engine that speaks Docker's API with {@code dialect}'s differences (e.g. Podman). */
  public DockerEngine(DockerConfig config, EngineDialect dialect) {
    this.config = config;
    this.dialect = dialect;
    this.provider = dialect.provider();
    this.connector = new Connector(config, dialect);
    this.images = new EngineImages(config, dialect, connector);
  }

  public String location() {
    return connector.location();
  }

  /** This engine named {@code label} in messages (an engine on another server). */
  public DockerEngine labelled(String label) {
    connector.label(label);
    return this;
  }

  public RuntimeVersion ping() {
    Version v = call("asking for the engine version", c -> c.versionCmd().exec());
    return new RuntimeVersion(dialect.engineName(), v.getVersion(), v.getApiVersion());
  }

  public ContainerId run(ContainerSpec spec) {
    String image = dialect.imageReference(spec.image());
    images.ensureLocal(image);
    for (int attempt = 0; ; attempt++) {
      int current = attempt;
      String id = call("creating container " + spec.name(),
          c -> create(c, spec, image, current, false));
      try {
        call("starting container " + spec.name(), c -> c.startContainerCmd(id).exec());
      } catch (CodeBException e) {
        try {
          within("removing container " + spec.name() + " after its failed start",
              config.callTimeout(), () -> connector.client().removeContainerCmd(id)
                  .withForce(true).exec());
        } catch (RuntimeException cleanup) {
          e.addSuppressed(cleanup);
          throw e;
        }
        if (dialect.retryStart(e, attempt)) {
          LOG.warn("starting container {} failed ({}); trying again", spec.name(), e.getMessage());
          continue;
        }
        throw e;
      }
      LOG.info("started container {} ({}) from {}", spec.name(), shortId(id), image);
      return new ContainerId(id);
    }
  }

  private String create(DockerClient c, ContainerSpec spec, String image, int attempt,
      boolean oneOff) {
    Ports bindings = new Ports();
    Set<ExposedPort> exposed = new LinkedHashSet<>();
    for (PortBinding p : spec.ports()) {
      ExposedPort port = ExposedPort.tcp(p.containerPort());
      exposed.add(port);
      bindings.bind(port, Ports.Binding.bindIpAndPort(p.hostAddress().value(), p.hostPort()));
    }
    List<String> env = new ArrayList<>();
    spec.env().forEach((k, v) -> env.add(k + "=" + v));
    HostConfig hostConfig = HostConfig.newHostConfig()
        .withPortBindings(bindings)
        .withRestartPolicy(oneOff ? RestartPolicy.noRestart()
            : RestartPolicy.unlessStoppedRestart());
    if (!spec.volumes().isEmpty()) {
      hostConfig.withBinds(spec.volumes().stream()
          .map(v -> new Bind(v.volume(), new Volume(v.path()))).toList());
    }
    if (spec.hostNetwork()) {
      hostConfig.withNetworkMode("host");
    }
    dialect.customize(hostConfig, spec, attempt);
    CreateContainerCmd cmd = c.createContainerCmd(image)
        .withName(spec.name())
        .withLabels(spec.labels())
        .withEnv(env)
        .withExposedPorts(List.copyOf(exposed))
        .withHostConfig(hostConfig);
    if (!spec.command().isEmpty()) {
      cmd = cmd.withCmd(spec.command());
    }
    try {
      return cmd.exec().getId();
    } catch (com.github.dockerjava.api.exception.ConflictException e) {
      throw new ConflictException("a container named " + spec.name() + " already exists on "
          + provider + " at " + connector.where() + "; nothing was started", provider, 409, e);
    }
  }

  /** Pulls {@code image} unless the engine has it (see {@code ContainerRuntime.ensureImage}). */
  public void ensureImage(String image) {
    images.ensureLocal(dialect.imageReference(image));
  }

  public void stop(ContainerId id, Duration grace) {
    if (grace.isNegative()) {
      throw new InvalidRequestException("the stop grace period must not be negative: " + grace);
    }
    int seconds = (int) Math.min(Integer.MAX_VALUE, (grace.toMillis() + 999) / 1000);
    if (stopOnce(id, seconds)) {
      return;
    }
    // It was not running. With a restart policy some engines are about to start it again (see
    // EngineDialect.restartAfterStopWatch), and a container that exits at once may be in a
    // restart loop whose running moments are too short to see in an inspect: keep stopping it
    // for the watch period, often; the first stop that finds it running is final.
    long until = System.nanoTime() + dialect.restartAfterStopWatch().toNanos();
    while (System.nanoTime() < until) {
      pause(RESTART_POLL);
      try {
        if (stopOnce(id, seconds)) {
          LOG.info("container {} was restarted by its restart policy; stopped it", id);
          return;
        }
      } catch (ConflictException between) {
        // Caught between states (starting, stopping): the next round stops it.
      }
    }
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One stop call; false when the container was not running (the engine's 304). */
  /** Starts a stopped container; one that runs already is left alone (Docker's 304). */
  public void start(ContainerId id) {
    String what = "starting container " + id;
    try {
      within(what, config.callTimeout(), () -> connector.client().startContainerCmd(id.value())
          .exec());
      LOG.info("started container {}", id);
    } catch (NotModifiedException e) {
      // 304: it was running already.
    } catch (CodeBException e) {
      throw e;
    } catch (RuntimeException e) {
      throw Errors.map(e, what, connector.where(), List.of(), dialect);
    }
  }

  private boolean stopOnce(ContainerId id, int seconds) {
    DockerClient client = connector.client();
    try {
      // The engine answers a stop after the grace period at most: that long on top.
      within("stopping container " + id, config.callTimeout().plusSeconds(seconds),
          () -> client.stopContainerCmd(id.value()).withTimeout(seconds).exec());
      return true;
    } catch (NotModifiedException e) {
      return false; // 304: it was not running; stopping a stopped container does nothing.
    } catch (UnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      CodeBException mapped = Errors.map(e, "stopping container " + id, connector.where(),
          List.of(), dialect);
      if (mapped instanceof NotFoundException) {
        throw new NotFoundException("no container " + id + " on " + provider + " at "
            + connector.where(), provider, 404, e);
      }
      throw mapped;
    }
  }

  public boolean remove(ContainerId id) {
    try {
      call("removing container " + id, c -> c.removeContainerCmd(id.value()).withForce(true).exec());
      LOG.info("removed container {}", id);
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  public Optional<ContainerInfo> inspect(ContainerId id) {
    try {
      InspectContainerResponse r = call("inspecting container " + id,
          c -> c.inspectContainerCmd(id.value()).exec());
      return Optional.of(Inspections.toInfo(r, dialect, raw));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  public List<ContainerInfo> list(Map<String, String> labels) {
    List<Container> found = call("listing containers", c -> {
      var cmd = c.listContainersCmd().withShowAll(true);
      if (!labels.isEmpty()) {
        cmd = cmd.withLabelFilter(labels);
      }
      return cmd.exec();
    });
    List<ContainerInfo> infos = new ArrayList<>();
    for (Container container : found) {
      // Docker's label filter is exact; check again so a quirk never widens the result.
      Map<String, String> have = container.getLabels() == null ? Map.of() : container.getLabels();
      if (!have.entrySet().containsAll(labels.entrySet())) {
        continue;
      }
      inspect(new ContainerId(container.getId())).ifPresent(infos::add); // gone meanwhile: skip
    }
    return infos;
  }

  public String logs(ContainerId id, int lines) {
    return EngineLogs.tail(connector, dialect, id, lines);
  }

  /** See {@code ContainerRuntime.runOnce}. */
  public OneOffResult runOnce(ContainerSpec spec, Duration timeout, int lines,
      java.util.function.Consumer<String> output) {
    if (timeout.isNegative() || timeout.isZero() || lines < 0) {
      throw new InvalidRequestException("a one-off container needs a positive timeout and 0 or"
          + " more output lines, not " + timeout + " and " + lines);
    }
    String image = dialect.imageReference(spec.image());
    images.ensureLocal(image);
    String id = call("creating one-off container " + spec.name(),
        c -> create(c, spec, image, 0, true));
    try {
      call("starting one-off container " + spec.name(), c -> c.startContainerCmd(id).exec());
      try (EngineOneOff.Follower follower = EngineOneOff.follow(
          () -> readLogs(new ContainerId(id), LogQuery.all().following()), output)) {
        OneOffResult result = call("waiting for one-off container " + spec.name(), null,
            c -> EngineOneOff.await(c, id, timeout, provider, () -> logs(new ContainerId(id),
                lines)));
        follower.finish();
        return result;
      }
    } finally {
      try {
        within("removing one-off container " + spec.name(), config.callTimeout(),
            () -> connector.client().removeContainerCmd(id).withForce(true).exec());
      } catch (RuntimeException e) {
        LOG.warn("removing one-off container {} failed: {}", spec.name(), Errors.reason(e));
      }
    }
  }

  /** See {@code ContainerRuntime.readLogs}. */
  public LogReader readLogs(ContainerId id, LogQuery query) {
    return EngineLogs.open(connector, dialect, id, query);
  }

  /** See {@code ContainerRuntime.exec}; the command is never logged. */
  public int exec(ContainerId id, ExecRequest request,
      ExecIo io) {
    return EngineExec.run(connector, dialect, id, request, io);
  }

  public boolean removeImage(String image) {
    if (image == null || image.isBlank()) {
      throw new InvalidRequestException("no image given to remove");
    }
    String ref = dialect.imageReference(image);
    try {
      call("removing image " + ref, c -> c.removeImageCmd(ref).exec());
      LOG.info("removed image {}", ref);
      return true;
    } catch (NotFoundException e) {
      return false;
    } catch (ConflictException e) {
      throw new ConflictException("image " + ref + " is still used on " + provider + " at "
          + connector.where() + "; nothing was removed (" + e.getMessage() + ")",
          provider, 409, e);
    }
  }

  /** Removes a named volume (see {@code ContainerRuntime.removeVolume}). */
  public boolean removeVolume(String volume) {
    if (volume == null || volume.isBlank()) {
      throw new InvalidRequestException("no volume given to remove");
    }
    try {
      call("removing volume " + volume, c -> c.removeVolumeCmd(volume).exec());
      LOG.info("removed volume {}", volume);
      return true;
    } catch (NotFoundException e) {
      return false;
    } catch (ConflictException e) {
      throw new ConflictException("volume " + volume + " is still used by a container on "
          + provider + " at " + connector.where() + "; nothing was removed", provider, 409, e);
    }
  }

  @Override
  public void close() {
    connector.close();
  }

  private interface Call<T> {
    T apply(DockerClient client);
  }

  /**
   * Runs one docker-java call that is not a stream, within the config's call timeout, mapping
   * every failure into the CodeB family.
   */
  private <T> T call(String what, Call<T> call) {
    return call(what, config.callTimeout(), call);
  }

  /** The same within {@code limit} ({@code null}: no limit, for a call with its own). */
  private <T> T call(String what, Duration limit, Call<T> call) {
    DockerClient client = connector.client();
    try {
      return limit == null ? call.apply(client) : within(what, limit, () -> call.apply(client));
    } catch (UnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      throw Errors.map(e, what, connector.where(), List.of(), dialect);
    }
  }

  /**
   * {@code body} cut at {@code limit} ({@link CallDeadline}): past it, an
   * {@link UnavailableException} naming the engine (and its server), what it was doing and how
   * to wait longer (the dialect's variable). Other failures are thrown as they are.
   */
  private <T> T within(String what, Duration limit, java.util.function.Supplier<T> body) {
    return CallDeadline.within(dialect, connector::where, what, limit, body);
  }

  /** A raw API call for the dialect: status and body, failures mapped like any other call. */
  private EngineDialect.RawResponse raw(String method, String path) {
    DockerHttpClient.Request request = DockerHttpClient.Request.builder()
        .method(DockerHttpClient.Request.Method.valueOf(method))
        .path(path)
        .build();
    try {
      return within(method + " " + path, config.callTimeout(), () -> {
        try (DockerHttpClient.Response response = connector.http().execute(request)) {
          byte[] body = response.getBody() == null ? new byte[0]
              : response.getBody().readAllBytes();
          return new EngineDialect.RawResponse(response.getStatusCode(),
              new String(body, java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    } catch (UnavailableException e) {
      throw e;
    } catch (java.io.UncheckedIOException e) {
      throw Errors.map(e, method + " " + path, connector.where(), List.of(), dialect);
    } catch (RuntimeException e) {
      throw Errors.map(e, method + " " + path, connector.where(), List.of(), dialect);
    }
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
