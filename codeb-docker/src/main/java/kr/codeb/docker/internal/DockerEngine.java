package kr.codeb.docker.internal;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Version;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.docker.DockerConfig;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ContainerSpec;
import kr.codeb.runtime.ExecIo;
import kr.codeb.runtime.ExecRequest;
import kr.codeb.runtime.LogQuery;
import kr.codeb.runtime.LogReader;
import kr.codeb.runtime.OneOffResult;
import kr.codeb.runtime.RuntimeVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Docker work behind {@code DockerRuntime}, on docker-java. Calls go through
 * {@link EngineCalls} (deadline, error mapping); creating a container is
 * {@link ContainerCreation}'s, starting and stopping one {@link EngineStartStop}'s, images
 * {@link EngineImages}', logs, exec and one-off runs {@link EngineLogs}', {@link EngineExec}'s
 * and {@link EngineOneOff}'s.
 */
public final class DockerEngine implements AutoCloseable {
  /** The variable the Docker factory reads another call timeout from ({@code 2m}). */
  public static final String CALL_TIMEOUT_VARIABLE = "CODEB_DOCKER_CALL_TIMEOUT";
  private static final Logger LOG = LoggerFactory.getLogger(DockerEngine.class);

  private final DockerConfig config;
  private final EngineDialect dialect;
  private final String provider;
  private final Connector connector;
  private final EngineCalls calls;
  private final EngineDialect.RawApi raw;
  private final EngineImages images;
  private final ContainerCreation creation;
  private final EngineStartStop startStop;

  public DockerEngine(DockerConfig config) {
    this(config, EngineDialect.DOCKER);
  }

  /** An engine that speaks Docker's API with {@code dialect}'s differences (e.g. Podman). */
  public DockerEngine(DockerConfig config, EngineDialect dialect) {
    this.config = config;
    this.dialect = dialect;
    this.provider = dialect.provider();
    this.connector = new Connector(config, dialect);
    this.calls = new EngineCalls(config, dialect, connector);
    this.raw = calls::raw;
    this.images = new EngineImages(config, dialect, connector);
    this.creation = new ContainerCreation(dialect, connector);
    this.startStop = new EngineStartStop(config, dialect, connector, calls);
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
          c -> creation.create(c, spec, image, current, false));
      try {
        call("starting container " + spec.name(), c -> c.startContainerCmd(id).exec());
      } catch (CodeBException e) {
        try {
          calls.within("removing container " + spec.name() + " after its failed start",
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

  /** Pulls {@code image} unless the engine has it (see {@code ContainerRuntime.ensureImage}). */
  public void ensureImage(String image) {
    images.ensureLocal(dialect.imageReference(image));
  }

  /** Stops a container, giving it {@code grace} to exit (see {@link EngineStartStop}). */
  public void stop(ContainerId id, Duration grace) {
    startStop.stop(id, grace);
  }

  /** Starts a stopped container; one that runs already is left alone (Docker's 304). */
  public void start(ContainerId id) {
    startStop.start(id);
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
        c -> creation.create(c, spec, image, 0, true));
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
        calls.within("removing one-off container " + spec.name(), config.callTimeout(),
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

  private <T> T call(String what, EngineCalls.Call<T> call) {
    return calls.call(what, call);
  }

  private <T> T call(String what, Duration limit, EngineCalls.Call<T> call) {
    return calls.call(what, limit, call);
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
