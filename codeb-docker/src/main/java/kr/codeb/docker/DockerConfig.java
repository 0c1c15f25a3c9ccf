package kr.codeb.docker;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.Secret;

/**
 * Where the Docker engine is and how to talk to it.
 *
 * <p>{@code host} is the engine's address ({@code unix:///var/run/docker.sock} or
 * {@code tcp://127.0.0.1:2375}); empty means <em>find it</em>: {@code DOCKER_HOST} from
 * {@code environment}, then {@code unix://} + {@code defaultSocket}, the first that answers.
 *
 * <p>Registry credentials for pulls are looked up in this order: {@code registryUser} /
 * {@code registryPassword} here, then {@code CODEB_DOCKER_REGISTRY_USER} /
 * {@code CODEB_DOCKER_REGISTRY_PASSWORD} in {@code environment}, then the {@code auths} entry for
 * the image's registry in {@code $DOCKER_CONFIG/config.json} (default {@code ~/.docker}). When
 * {@code registryHost} is set, the first two are sent only to that registry (so credentials for
 * {@code ghcr.io} never go to Docker Hub). Credentials are never logged and never appear in an
 * exception message or in {@link #toString()}.
 *
 * @param host the engine's address; empty to discover it
 * @param defaultSocket the socket tried last when discovering (normally /var/run/docker.sock)
 * @param environment the environment variables to read ({@code System::getenv} normally)
 * @param registryUser the registry user for pulls, if given explicitly
 * @param registryPassword the registry password or token for pulls, if given explicitly
 * @param registryHost the only registry ({@code ghcr.io}, {@code 127.0.0.1:5000}) the explicit
 *     and environment credentials go to; empty for every registry
 * @param connectTimeout how long connecting to the engine may take
 * @param responseTimeout how long the engine may stay silent while answering (a stop's grace
 *     period must be shorter); applies on TCP only (the Unix-socket transport has no socket
 *     timeout), to every call, streams included
 * @param callTimeout how long one call that is not a stream may take in all (inspect, list,
 *     create, start, remove, the image lookup before a pull, each ping of auto-discovery; a stop
 *     gets its grace period on top), on every transport: past it the call fails naming the
 *     engine and what it was doing. Image pulls, log streams, exec sessions and one-off
 *     containers are not cut by it (they have their own limits)
 */
public record DockerConfig(
    Optional<URI> host,
    Path defaultSocket,
    UnaryOperator<String> environment,
    Optional<String> registryUser,
    Optional<Secret> registryPassword,
    Optional<String> registryHost,
    Duration connectTimeout,
    Duration responseTimeout,
    Duration callTimeout) {

  /** How long a call that is not a stream may take by default. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(60);

  /** The socket Docker listens on by default. */
  public static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");

  public DockerConfig {
    Objects.requireNonNull(host, "host");
    host.ifPresent(DockerConfig::checkHost);
    Objects.requireNonNull(defaultSocket, "defaultSocket");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(registryUser, "registryUser");
    Objects.requireNonNull(registryPassword, "registryPassword");
    Objects.requireNonNull(registryHost, "registryHost");
    Checks.credentialPair(registryUser, registryPassword);
    Checks.positive("connectTimeout", connectTimeout);
    Checks.positive("responseTimeout", responseTimeout);
    Checks.positive("callTimeout", callTimeout);
  }

  /** Find the engine: {@code DOCKER_HOST}, then /var/run/docker.sock; the process environment. */
  public static DockerConfig auto() {
    return new DockerConfig(Optional.empty(), DEFAULT_SOCKET, System::getenv, Optional.empty(),
        Optional.empty(), Optional.empty(), Duration.ofSeconds(5), Duration.ofMinutes(3),
        DEFAULT_CALL_TIMEOUT);
  }

  /** The engine at {@code host}: {@code unix:///path/to/docker.sock} or {@code tcp://host:port}. */
  public static DockerConfig of(URI host) {
    return auto().withHost(host);
  }

  /** The engine listening on a Unix socket. */
  public static DockerConfig unix(Path socket) {
    return of(URI.create("unix://" + socket.toAbsolutePath()));
  }

  public DockerConfig withHost(URI host) {
    return new DockerConfig(Optional.of(host), defaultSocket, environment, registryUser,
        registryPassword, registryHost, connectTimeout, responseTimeout, callTimeout);
  }

  /** The environment to read {@code DOCKER_HOST}, {@code DOCKER_CONFIG}, credentials from. */
  public DockerConfig withEnvironment(UnaryOperator<String> environment) {
    return new DockerConfig(host, defaultSocket, environment, registryUser, registryPassword,
        registryHost, connectTimeout, responseTimeout, callTimeout);
  }

  /** The socket discovery tries after {@code DOCKER_HOST}. */
  public DockerConfig withDefaultSocket(Path socket) {
    return new DockerConfig(host, socket, environment, registryUser, registryPassword,
        registryHost, connectTimeout, responseTimeout, callTimeout);
  }

  public DockerConfig withRegistryCredentials(String user, Secret password) {
    return new DockerConfig(host, defaultSocket, environment, Optional.of(user),
        Optional.of(password), registryHost, connectTimeout, responseTimeout, callTimeout);
  }

  /** Sends explicit and environment credentials only to this registry. */
  public DockerConfig withRegistryHost(String registry) {
    return new DockerConfig(host, defaultSocket, environment, registryUser, registryPassword,
        Optional.of(registry), connectTimeout, responseTimeout, callTimeout);
  }

  public DockerConfig withTimeouts(Duration connect, Duration response) {
    return new DockerConfig(host, defaultSocket, environment, registryUser, registryPassword,
        registryHost, connect, response, callTimeout);
  }

  /** Each call that is not a stream may take at most {@code timeout} (see the class comment). */
  public DockerConfig withCallTimeout(Duration timeout) {
    return new DockerConfig(host, defaultSocket, environment, registryUser, registryPassword,
        registryHost, connectTimeout, responseTimeout, timeout);
  }

  @Override
  public String toString() {
    return "DockerConfig[host=" + host.map(URI::toString).orElse("auto")
        + ", defaultSocket=" + defaultSocket
        + ", registryCredentials=" + (registryUser.isPresent() ? "explicit" : "none")
        + ", registryHost=" + registryHost.orElse("any")
        + ", connectTimeout=" + connectTimeout + ", responseTimeout=" + responseTimeout
        + ", callTimeout=" + callTimeout + "]";
  }

  private static void checkHost(URI host) {
    String scheme = host.getScheme() == null ? "" : host.getScheme().toLowerCase(Locale.ROOT);
    boolean ok = switch (scheme) {
      case "unix" -> host.getPath() != null && host.getPath().startsWith("/")
          && host.getPath().length() > 1;
      case "tcp" -> host.getHost() != null;
      default -> false;
    };
    if (!ok || host.getRawUserInfo() != null) {
      throw new InvalidRequestException("unsupported Docker host '" + host
          + "': use unix:///path/to/docker.sock or tcp://host:port");
    }
  }
}
