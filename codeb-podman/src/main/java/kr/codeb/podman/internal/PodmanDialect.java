package kr.codeb.podman.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.HealthStateLog;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ulimit;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.NotFoundException;
import kr.codeb.deploy.HealthStatus;
import kr.codeb.docker.DockerConfig;
import kr.codeb.docker.internal.EngineDialect;
import kr.codeb.podman.PodmanConfig;
import kr.codeb.runtime.ContainerSpec;
import kr.codeb.runtime.ContainerState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How Podman's Docker-compatible service differs from dockerd, for codeb-docker's engine:
 * discovery (rootful socket, then the rootless one), explicit rlimits on create (with one
 * fallback), fully qualified image names, healthchecks run when due (no systemd timers), and
 * Podman's error bodies ({@code {"cause","message","response"}}; a taken name is a 500 there).
 */
public final class PodmanDialect implements EngineDialect {
  static final String PROVIDER = "podman";
  /**
   * The variable the Podman factory reads another call timeout from ({@code 2m}); Docker's
   * {@code CODEB_DOCKER_CALL_TIMEOUT} does not steer a Podman runtime.
   */
  public static final String CALL_TIMEOUT_VARIABLE = "CODEB_PODMAN_CALL_TIMEOUT";
  /** Podman's own API (the libpod endpoints); 4.0.0 is the oldest the service accepts. */
  static final String LIBPOD = "/v4.0.0/libpod";
  /** What Docker and Podman use when a healthcheck gives no interval. */
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(PodmanDialect.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PodmanConfig config;
  private final HostLimits host;
  private final Clock clock;

  public PodmanDialect(PodmanConfig config) {
    this(config, HostLimits.ofThisProcess(), Clock.systemUTC());
  }

  PodmanDialect(PodmanConfig config, HostLimits host, Clock clock) {
    this.config = config;
    this.host = host;
    this.clock = clock;
  }

  @Override
  public String provider() {
    return PROVIDER;
  }

  @Override
  public String callTimeoutVariable() {
    return CALL_TIMEOUT_VARIABLE;
  }

  @Override
  public List<Place> discovery(DockerConfig docker) {
    List<Place> places = new ArrayList<>();
    Path rootful = config.rootfulSocket();
    places.add(new Place("unix://" + rootful + " (rootful)", URI.create("unix://" + rootful)));
    String xdg = config.environment().apply("XDG_RUNTIME_DIR");
    if (xdg == null || xdg.isBlank()) {
      places.add(new Place("$XDG_RUNTIME_DIR/podman/podman.sock (rootless)", null,
          Optional.of("XDG_RUNTIME_DIR is not set")));
    } else {
      Path rootless = Path.of(xdg.strip(), "podman", "podman.sock").toAbsolutePath();
      places.add(new Place("unix://" + rootless + " (rootless, from XDG_RUNTIME_DIR)",
          URI.create("unix://" + rootless)));
    }
    return places;
  }

  @Override
  public String autoLocation(DockerConfig docker) {
    return "auto (unix://" + config.rootfulSocket()
        + ", then $XDG_RUNTIME_DIR/podman/podman.sock)";
  }

  @Override
  public String imageReference(String image) {
    return ImageNames.qualify(image);
  }

  /**
   * Sets nofile and nproc (soft = hard): the configured ones, else the host-derived ones on the
   * first attempt and {@link HostLimits#FALLBACK} on the second.
   */
  @Override
  public void customize(HostConfig hostConfig, ContainerSpec spec, int attempt) {
    long nofile;
    long nproc;
    if (config.nofile().isPresent() || config.nproc().isPresent()) {
      nofile = config.nofile().orElse(host.containerNofile());
      nproc = config.nproc().orElse(host.containerNproc());
    } else if (attempt == 0) {
      nofile = host.containerNofile();
      nproc = host.containerNproc();
    } else {
      nofile = HostLimits.FALLBACK;
      nproc = HostLimits.FALLBACK;
    }
    hostConfig.withUlimits(List.of(new Ulimit("nofile", nofile, nofile),
        new Ulimit("nproc", nproc, nproc)));
  }

  /**
   * Podman restarts a crashed container from its cleanup process shortly after the exit, and a
   * stop of the already exited container does not cancel that (seen with 4.3: a failed
   * release's container ran again after the deploy had stopped it). The cleanup process is
   * scheduled like any other: on a loaded 2-core machine it came after more than 1.5 s, so the
   * watch allows 5 s (it ends as soon as the restart is seen and stopped; only a failed
   * release whose container exited on its own pays it).
   */
  @Override
  public Duration restartAfterStopWatch() {
    return Duration.ofSeconds(5);
  }

  /** Once, when the limits were derived (not configured) and the runtime refused them. */
  @Override
  public boolean retryStart(CodeBException failure, int attempt) {
    boolean rlimit = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT)
        .contains("rlimit");
    boolean derived = config.nofile().isEmpty() && config.nproc().isEmpty();
    if (rlimit && derived && attempt == 0) {
      LOG.warn("podman refused the derived limits (nofile={}, nproc={}); retrying with {}/{}",
          host.containerNofile(), host.containerNproc(), HostLimits.FALLBACK, HostLimits.FALLBACK);
      return true;
    }
    return false;
  }

  /**
   * Podman's states: {@code stopped} is an exited container (also between restarts, where
   * dockerd says {@code restarting}); {@code configured}/{@code initialized} were not started
   * yet; {@code stopping} still runs.
   */
  @Override
  public ContainerState state(String status) {
    if (status == null) {
      return ContainerState.UNKNOWN;
    }
    return switch (status.toLowerCase(Locale.ROOT)) {
      case "stopped", "exited" -> ContainerState.EXITED;
      case "configured", "initialized", "created" -> ContainerState.CREATED;
      case "running", "stopping" -> ContainerState.RUNNING;
      case "paused" -> ContainerState.PAUSED;
      case "restarting" -> ContainerState.RESTARTING;
      case "dead" -> ContainerState.DEAD;
      default -> ContainerState.UNKNOWN; // "removing" and anything newer
    };
  }

  @Override
  public HealthStatus health(InspectContainerResponse container, RawApi api) {
    InspectContainerResponse.ContainerState state = container.getState();
    HealthState health = state == null ? null : state.getHealth();
    HealthStatus reported = health(health == null ? null : health.getStatus());
    if (!config.runDueHealthchecks() || reported == HealthStatus.NONE
        || state == null || !Boolean.TRUE.equals(state.getRunning())
        || !hasHealthcheck(container) || !due(container, health)) {
      return reported;
    }
    try {
      RawResponse r = api.call("GET", LIBPOD + "/containers/"
          + URLEncoder.encode(container.getId(), StandardCharsets.UTF_8) + "/healthcheck");
      if (r.ok()) {
        JsonNode body = JSON.readTree(r.body());
        if (body != null && body.path("Status").isTextual()) {
          return health(body.get("Status").asText());
        }
      }
      LOG.debug("running the healthcheck of {} answered {}: {}", container.getId(), r.status(),
          r.body());
    } catch (IOException | RuntimeException e) {
      LOG.debug("running the healthcheck of {} failed", container.getId(), e);
    }
    return reported;
  }

  static HealthStatus health(String status) {
    if (status == null) {
      return HealthStatus.NONE;
    }
    return switch (status.toLowerCase(Locale.ROOT)) {
      case "starting" -> HealthStatus.STARTING;
      case "healthy" -> HealthStatus.HEALTHY;
      case "unhealthy" -> HealthStatus.UNHEALTHY;
      default -> HealthStatus.NONE;
    };
  }

  private static boolean hasHealthcheck(InspectContainerResponse container) {
    HealthCheck check = container.getConfig() == null ? null
        : container.getConfig().getHealthcheck();
    List<String> test = check == null ? null : check.getTest();
    return test != null && !test.isEmpty() && !test.get(0).equalsIgnoreCase("NONE");
  }

  /** Due when the last check (or, before any, the start) is an interval or more ago. */
  boolean due(InspectContainerResponse container, HealthState health) {
    HealthCheck check = container.getConfig().getHealthcheck();
    Duration interval = check.getInterval() == null || check.getInterval() <= 0
        ? DEFAULT_INTERVAL : Duration.ofNanos(check.getInterval());
    Optional<Instant> last = Optional.empty();
    List<HealthStateLog> log = health == null ? null : health.getLog();
    if (log != null && !log.isEmpty()) {
      HealthStateLog latest = log.get(log.size() - 1);
      last = instant(latest.getEnd() != null ? latest.getEnd() : latest.getStart());
    }
    if (last.isEmpty()) {
      last = instant(container.getState().getStartedAt());
    }
    return last.isEmpty() || !clock.instant().isBefore(last.get().plus(interval));
  }

  private static Optional<Instant> instant(String text) {
    if (text == null || text.isBlank() || text.startsWith("0001-")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text.strip()));
    } catch (DateTimeParseException e) {
      try {
        return Optional.of(java.time.OffsetDateTime.parse(text.strip()).toInstant());
      } catch (DateTimeParseException e2) {
        return Optional.empty();
      }
    }
  }

  /**
   * Podman answers some failures dockerd answers with 409 or 404 as 500s: read its message.
   */
  @Override
  public Optional<CodeBException> classify(int status, String detail, String message,
      Throwable cause) {
    String lower = detail.toLowerCase(Locale.ROOT);
    if (lower.contains("name") && lower.contains("is already in use")) {
      return Optional.of(new ConflictException(message, PROVIDER, status, cause));
    }
    if (lower.contains("image is in use") || lower.contains("image used by")
        || lower.contains("being used by") && lower.contains("container")) {
      return Optional.of(new ConflictException(message, PROVIDER, status, cause));
    }
    if (status != 404 && (lower.contains("no such container") || lower.contains("no such image")
        || lower.contains("image not known"))) {
      return Optional.of(new NotFoundException(message, PROVIDER, status, cause));
    }
    return Optional.empty();
  }
}
