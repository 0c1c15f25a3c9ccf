package kr.codeb.podman;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.Secret;
import kr.codeb.docker.DockerConfig;

/**
 * Where the Podman API service is and how containers are made on it.
 *
 * <p>{@code socket} is the service's Unix socket ({@code podman system service}); empty means
 * <em>find it</em>: {@code rootfulSocket} (normally {@code /run/podman/podman.sock}), then
 * {@code $XDG_RUNTIME_DIR/podman/podman.sock} from {@code environment} (a rootless user's
 * service), the first that answers. When none does, the {@code UnavailableException} lists
 * every place tried and why it failed.
 *
 * <p><b>Resource limits.</b> Podman gives containers default {@code nofile}/{@code nproc}
 * limits that may exceed the hard limits of the machine; the container then fails to start with
 * {@code error setting rlimit ... operation not permitted}. So every create call sets both
 * explicitly: {@code nofile}/{@code nproc} when given here, else this process's hard limits
 * (from {@code /proc/self/limits}) capped at 65536 open files and 4096 processes. The Podman
 * service may run under lower limits than this process (seen: nproc 32768 for the service,
 * 96364 for the shell); when the start fails on an rlimit anyway and the limits were not
 * given here, the container is removed and created once more with 1024/1024.
 *
 * <p><b>Health.</b> Podman runs a container's healthcheck from systemd timers; without systemd
 * (containers, CI) it never runs and the health stays {@code starting}. With
 * {@code runDueHealthchecks} (the default), inspecting a running container whose last check is
 * older than its healthcheck interval runs one check through the libpod endpoint
 * {@code GET /libpod/containers/{id}/healthcheck} (what the systemd timer would have done),
 * so the reported health is the check's real result. Without it the health is reported as
 * Podman has it: {@code STARTING} for as long as nothing runs the check.
 *
 * <p>Registry credentials (for pulls), when given, go only to {@code registryHost} if set.
 * They never reach a log, a message or {@link #toString()}.
 *
 * @param socket the service socket; empty to discover it
 * @param rootfulSocket the socket discovery tries first
 * @param environment the environment to read {@code XDG_RUNTIME_DIR} from
 * @param nofile the open-files limit (soft = hard) for containers; empty for the host-derived one
 * @param nproc the process limit (soft = hard) for containers; empty for the host-derived one
 * @param runDueHealthchecks whether inspecting runs a healthcheck that is due
 * @param registryUser the registry user for pulls, if given
 * @param registryPassword the registry password or token for pulls, if given
 * @param registryHost the only registry the credentials go to; empty for every registry
 * @param connectTimeout how long connecting to the service may take
 * @param responseTimeout how long the service may stay silent while answering (TCP only: the
 *     Unix-socket transport has no socket timeout)
 * @param callTimeout how long one call that is not a stream may take in all (inspect, list,
 *     create, start, remove, the image lookup before a pull, each ping of discovery; a stop gets
 *     its grace period on top): past it the call fails with an {@code UnavailableException}
 *     naming the service and what it was doing, instead of waiting for a frozen service forever.
 *     Image pulls, log streams, exec sessions and one-off containers are not cut by it. Default
 *     {@link #DEFAULT_CALL_TIMEOUT}; {@code call-timeout=} on the runtime URI or
 *     {@code CODEB_PODMAN_CALL_TIMEOUT} (see {@link PodmanRuntimeFactory})
 */
public record PodmanConfig(
    Optional<Path> socket,
    Path rootfulSocket,
    UnaryOperator<String> environment,
    OptionalLong nofile,
    OptionalLong nproc,
    boolean runDueHealthchecks,
    Optional<String> registryUser,
    Optional<Secret> registryPassword,
    Optional<String> registryHost,
    Duration connectTimeout,
    Duration responseTimeout,
    Duration callTimeout) {

  /** How long a call that is not a stream may take by default (60 s, as for Docker). */
  public static final Duration DEFAULT_CALL_TIMEOUT = DockerConfig.DEFAULT_CALL_TIMEOUT;

  /** The socket of the rootful Podman service. */
  public static final Path ROOTFUL_SOCKET = Path.of("/run/podman/podman.sock");

  public PodmanConfig {
    Objects.requireNonNull(socket, "socket");
    socket.ifPresent(PodmanConfig::checkSocket);
    checkSocket(Objects.requireNonNull(rootfulSocket, "rootfulSocket"));
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(nofile, "nofile");
    Objects.requireNonNull(nproc, "nproc");
    nofile.ifPresent(n -> checkLimit("nofile", n));
    nproc.ifPresent(n -> checkLimit("nproc", n));
    Objects.requireNonNull(registryUser, "registryUser");
    Objects.requireNonNull(registryPassword, "registryPassword");
    Objects.requireNonNull(registryHost, "registryHost");
    Checks.credentialPair(registryUser, registryPassword);
    Checks.positive("connectTimeout", connectTimeout);
    Checks.positive("responseTimeout", responseTimeout);
    Checks.positive("callTimeout", callTimeout);
  }

  /** Find the service: /run/podman/podman.sock, then $XDG_RUNTIME_DIR/podman/podman.sock. */
  public static PodmanConfig auto() {
    return new PodmanConfig(Optional.empty(), ROOTFUL_SOCKET, System::getenv, OptionalLong.empty(),
        OptionalLong.empty(), true, Optional.empty(), Optional.empty(), Optional.empty(),
        Duration.ofSeconds(5), Duration.ofMinutes(3), DEFAULT_CALL_TIMEOUT);
  }

  /** The service listening on {@code socket}. */
  public static PodmanConfig unix(Path socket) {
    return auto().withSocket(socket);
  }

  public PodmanConfig withSocket(Path newSocket) {
    return new PodmanConfig(Optional.of(newSocket.toAbsolutePath()), rootfulSocket, environment,
        nofile, nproc, runDueHealthchecks, registryUser, registryPassword, registryHost,
        connectTimeout, responseTimeout, callTimeout);
  }

  /** The socket discovery tries first (instead of /run/podman/podman.sock). */
  public PodmanConfig withRootfulSocket(Path newRootfulSocket) {
    return new PodmanConfig(socket, newRootfulSocket, environment, nofile, nproc,
        runDueHealthchecks, registryUser, registryPassword, registryHost, connectTimeout,
        responseTimeout, callTimeout);
  }

  public PodmanConfig withEnvironment(UnaryOperator<String> newEnvironment) {
    return new PodmanConfig(socket, rootfulSocket, newEnvironment, nofile, nproc,
        runDueHealthchecks, registryUser, registryPassword, registryHost, connectTimeout,
        responseTimeout, callTimeout);
  }

  /** Explicit limits for every container (soft = hard); no fallback when the start fails. */
  public PodmanConfig withUlimits(long newNofile, long newNproc) {
    return new PodmanConfig(socket, rootfulSocket, environment, OptionalLong.of(newNofile),
        OptionalLong.of(newNproc), runDueHealthchecks, registryUser, registryPassword,
        registryHost, connectTimeout, responseTimeout, callTimeout);
  }

  /** Whether inspecting runs a due healthcheck through the libpod API (default true). */
  public PodmanConfig withDueHealthchecks(boolean run) {
    return new PodmanConfig(socket, rootfulSocket, environment, nofile, nproc, run, registryUser,
        registryPassword, registryHost, connectTimeout, responseTimeout, callTimeout);
  }

  public PodmanConfig withRegistryCredentials(String user, Secret password) {
    return new PodmanConfig(socket, rootfulSocket, environment, nofile, nproc,
        runDueHealthchecks, Optional.of(user), Optional.of(password), registryHost,
        connectTimeout, responseTimeout, callTimeout);
  }

  /** Sends the registry credentials only to this registry. */
  public PodmanConfig withRegistryHost(String registry) {
    return new PodmanConfig(socket, rootfulSocket, environment, nofile, nproc,
        runDueHealthchecks, registryUser, registryPassword, Optional.of(registry),
        connectTimeout, responseTimeout, callTimeout);
  }

  public PodmanConfig withTimeouts(Duration connect, Duration response) {
    return new PodmanConfig(socket, rootfulSocket, environment, nofile, nproc,
        runDueHealthchecks, registryUser, registryPassword, registryHost, connect, response,
        callTimeout);
  }

  /** Each call that is not a stream may take at most {@code timeout} (see the class comment). */
  public PodmanConfig withCallTimeout(Duration timeout) {
    return new PodmanConfig(socket, rootfulSocket, environment, nofile, nproc,
        runDueHealthchecks, registryUser, registryPassword, registryHost, connectTimeout,
        responseTimeout, timeout);
  }

  @Override
  public String toString() {
    return "PodmanConfig[socket=" + socket.map(Path::toString).orElse("auto")
        + ", rootfulSocket=" + rootfulSocket
        + ", nofile=" + (nofile.isPresent() ? nofile.getAsLong() : "host")
        + ", nproc=" + (nproc.isPresent() ? nproc.getAsLong() : "host")
        + ", runDueHealthchecks=" + runDueHealthchecks
        + ", registryCredentials=" + (registryUser.isPresent() ? "explicit" : "none")
        + ", registryHost=" + registryHost.orElse("any")
        + ", connectTimeout=" + connectTimeout + ", responseTimeout=" + responseTimeout
        + ", callTimeout=" + callTimeout + "]";
  }

  private static void checkSocket(Path socket) {
    if (!socket.isAbsolute() || socket.toString().chars().anyMatch(Character::isWhitespace)) {
      throw new InvalidRequestException("invalid Podman socket '" + socket
          + "': give an absolute path such as /run/podman/podman.sock");
    }
  }

  private static void checkLimit(String what, long value) {
    if (value < 1 || value > Integer.MAX_VALUE) {
      throw new InvalidRequestException(what + " limit must be between 1 and "
          + Integer.MAX_VALUE + ", not " + value);
    }
  }
}
