package kr.codeb.docker.internal;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.HostConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kr.codeb.CodeBException;
import kr.codeb.deploy.HealthStatus;
import kr.codeb.docker.DockerConfig;
import kr.codeb.runtime.ContainerSpec;
import kr.codeb.runtime.ContainerState;

/**
 * The extension point for an engine that speaks Docker's API but differs from dockerd in a few
 * places (Podman's Docker-compatible service). {@link DockerEngine} asks its dialect at each of
 * those places; {@link #DOCKER} answers as dockerd, and every method defaults to that answer, so
 * a dialect overrides only what differs.
 *
 * <p>This sits in {@code .internal} on purpose: it names docker-java types, so it is not part
 * of CodeB's public API. Its one user outside this module is {@code codeb-podman}
 * ({@code kr.codeb.podman.internal.PodmanDialect}); changing it means changing that too.
 */
public interface EngineDialect {
  /** dockerd itself. */
  EngineDialect DOCKER = new EngineDialect() {};

  /**
   * One place auto-discovery tries: a label for messages and an engine address, or the reason it
   * cannot be tried at all (then {@code address} may be null).
   */
  record Place(String label, URI address, Optional<String> problem) {
    public Place(String label, URI address) {
      this(label, address, address == null ? Optional.of("not a URI") : Optional.empty());
    }
  }

  /** An answer of a raw API call: HTTP status and body text. */
  record RawResponse(int status, String body) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  /** Raw calls for what docker-java has no command for (e.g. Podman's libpod endpoints). */
  interface RawApi {
    /** {@code method} ({@code GET}, {@code POST}) on {@code path} (with query), no body. */
    RawResponse call(String method, String path);
  }

  /** The provider id in {@code ProviderInfo}, exceptions and messages. */
  default String provider() {
    return "docker";
  }

  /**
   * The environment variable named in a call-deadline failure as the way to wait longer (the
   * factory reads it; {@code call-timeout=} on the URI wins over it).
   */
  default String callTimeoutVariable() {
    return DockerEngine.CALL_TIMEOUT_VARIABLE;
  }

  /** The places auto-discovery tries, in order: {@code DOCKER_HOST}, then the default socket. */
  default List<Place> discovery(DockerConfig config) {
    List<Place> places = new ArrayList<>();
    String dockerHost = config.environment().apply("DOCKER_HOST");
    if (dockerHost != null && !dockerHost.isBlank()) {
      try {
        places.add(new Place("DOCKER_HOST=" + dockerHost, URI.create(dockerHost.strip())));
      } catch (IllegalArgumentException e) {
        places.add(new Place("DOCKER_HOST=" + dockerHost, null));
      }
    }
    URI socket = URI.create("unix://" + config.defaultSocket().toAbsolutePath());
    places.add(new Place(socket.toString(), socket));
    return places;
  }

  /** What {@code location()} says in auto mode. */
  default String autoLocation(DockerConfig config) {
    return "auto (DOCKER_HOST, then unix://" + config.defaultSocket() + ")";
  }

  /** The engine name in {@code RuntimeVersion}. */
  default String engineName() {
    return provider();
  }

  /**
   * The image reference to create, pull and remove for the one the caller gave; may refuse it
   * with an {@code InvalidRequestException}. Image ids pass unchanged.
   */
  default String imageReference(String image) {
    return image;
  }

  /**
   * Adjusts the host config of a create call. {@code attempt} is 0 for the first create, 1 after
   * {@link #retryStart} asked for another try.
   */
  /**
   * How long a stop of a container that was not running watches for its restart policy to
   * start it again (and then stops it). Zero for dockerd: an explicit stop cancels a pending
   * restart there.
   */
  default Duration restartAfterStopWatch() {
    return Duration.ZERO;
  }

  default void customize(HostConfig hostConfig, ContainerSpec spec, int attempt) {}

  /**
   * Whether a container whose start failed with {@code failure} (already removed again) should
   * be created once more, with {@link #customize} told the next attempt number.
   */
  default boolean retryStart(CodeBException failure, int attempt) {
    return false;
  }

  /** The run state for the engine's status text ({@code running}, {@code exited}, ...). */
  default ContainerState state(String status) {
    return Inspections.state(status);
  }

  /** The health of an inspected container; {@code api} may be used to refresh it. */
  default HealthStatus health(InspectContainerResponse container, RawApi api) {
    InspectContainerResponse.ContainerState s = container.getState();
    return Inspections.health(s == null ? null : s.getHealth());
  }

  /**
   * A mapping of an engine failure that takes precedence over dockerd's (by HTTP status, then by
   * text); empty to use dockerd's. {@code detail} is the engine's own message (already without
   * secrets), {@code message} the full message for the exception.
   */
  default Optional<CodeBException> classify(int status, String detail, String message,
      Throwable cause) {
    return Optional.empty();
  }
}
