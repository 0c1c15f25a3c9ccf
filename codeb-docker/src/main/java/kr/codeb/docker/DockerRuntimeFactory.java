package kr.codeb.docker;

import java.net.URI;
import java.util.Set;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderConfig;
import kr.codeb.docker.internal.CallTimeouts;
import kr.codeb.docker.internal.DockerEngine;
import kr.codeb.docker.internal.RemoteEngine;
import kr.codeb.fleet.ServerLink;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.runtime.ContainerRuntimeFactory;

/**
 * Docker runtimes by URI, without I/O:
 * <ul>
 *   <li>{@code docker://} (or {@code docker:}): find the engine: {@code DOCKER_HOST} from the
 *       config's environment, then {@code unix:///var/run/docker.sock};
 *   <li>{@code docker+unix:///var/run/docker.sock}: that socket;
 *   <li>{@code docker+tcp://127.0.0.1:2375}: that plain-TCP endpoint (port 2375 by default);
 *   <li>{@code docker+ssh://user@host[:port][?socket=/var/run/docker.sock]}: the engine of that
 *       server over SSH ({@code docker system dial-stdio} there); key, known_hosts and passphrase
 *       from {@code CODEB_SSH_KEY}, {@code CODEB_SSH_KNOWN_HOSTS}, {@code CODEB_SSH_KEY_PASSPHRASE}.
 * </ul>
 * With {@link ProviderConfig#server()}, {@code docker://} and {@code docker+unix://} name the
 * engine on that server.
 * Optional query {@code registry=HOST[:PORT]} sends the registry credentials only to that
 * registry; {@code call-timeout=20s} bounds each call that is not a stream (default 60 s, or
 * {@code CODEB_DOCKER_CALL_TIMEOUT}; see {@link DockerConfig}). Credentials:
 * {@code registry-user} and {@code registry-password}, explicit, else
 * {@code CODEB_DOCKER_REGISTRY_USER}/{@code _PASSWORD}, else {@code ~/.docker/config.json}.
 */
public final class DockerRuntimeFactory implements ContainerRuntimeFactory {
  @Override
  public Set<String> schemes() {
    return Set.of("docker", "docker+unix", "docker+tcp", "docker+ssh");
  }

  @Override
  public ContainerRuntime create(ProviderConfig config) {
    if (config.scheme().equals("docker+ssh")) {
      DockerConfig docker = withCallTimeout(config, withCredentials(config, DockerConfig.auto()
          .withEnvironment(config.environment())));
      docker = withSocket(config, docker);
      ServerLink link = RemoteEngine.linkOf(config, "docker+ssh://user@host[:port][?socket=/var/run/docker.sock]");
      return DockerRuntime.onServer(link, true, docker);
    }
    DockerConfig docker = toDockerConfig(config);
    if (config.server().isPresent()) {
      if (config.scheme().equals("docker+tcp")) {
        throw invalid(config.uri(), "an engine on another server is reached with docker:// or"
            + " docker+unix:///path/to/docker.sock, not over TCP");
      }
      return DockerRuntime.onServer(config.server().get(), docker);
    }
    return DockerRuntime.create(docker);
  }

  private static DockerConfig withSocket(ProviderConfig config, DockerConfig docker) {
    String socket = config.query("socket").orElse("");
    if (socket.isBlank()) {
      return docker;
    }
    if (!socket.startsWith("/") || socket.length() < 2) {
      throw invalid(config.uri(), "socket= must be an absolute path such as /var/run/docker.sock");
    }
    return docker.withHost(URI.create("unix://" + socket));
  }

  /** The {@link DockerConfig} a provider config stands for. */
  public static DockerConfig toDockerConfig(ProviderConfig config) {
    URI uri = config.uri();
    DockerConfig docker = DockerConfig.auto().withEnvironment(config.environment());
    switch (config.scheme()) {
      case "docker" -> {
        boolean bare = uri.isOpaque() ? uri.getRawSchemeSpecificPart().isEmpty()
            : uri.getRawAuthority() == null && (uri.getRawPath() == null
                || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"));
        if (!bare) {
          throw invalid(uri, "docker:// takes no location; name a socket with docker+unix://");
        }
      }
      case "docker+unix" -> {
        if (uri.getRawAuthority() != null || uri.getPath() == null || uri.getPath().length() < 2) {
          throw invalid(uri, "expected docker+unix:///path/to/docker.sock");
        }
        docker = docker.withHost(URI.create("unix://" + uri.getPath()));
      }
      case "docker+tcp" -> {
        if (uri.getHost() == null || uri.getRawUserInfo() != null
            || uri.getRawPath() != null && !uri.getRawPath().isEmpty()
            && !uri.getRawPath().equals("/")) {
          throw invalid(uri, "expected docker+tcp://host:port");
        }
        int port = uri.getPort() < 0 ? 2375 : uri.getPort();
        docker = docker.withHost(URI.create("tcp://" + uri.getHost() + ":" + port));
      }
      default -> throw invalid(uri, "not a Docker scheme");
    }
    return withCallTimeout(config, withCredentials(config, docker));
  }

  /**
   * The call timeout: the URI's {@code call-timeout=} ({@code 500ms}, {@code 20s}, {@code 2m}),
   * else {@code CODEB_DOCKER_CALL_TIMEOUT}, else {@link DockerConfig#DEFAULT_CALL_TIMEOUT}.
   */
  static DockerConfig withCallTimeout(ProviderConfig config, DockerConfig docker) {
    return CallTimeouts.of(config, DockerEngine.CALL_TIMEOUT_VARIABLE)
        .map(docker::withCallTimeout).orElse(docker);
  }

  private static DockerConfig withCredentials(ProviderConfig config, DockerConfig docker) {
    var user = config.secret("docker", "registry-user");
    var password = config.secret("docker", "registry-password");
    if (user.isPresent() && password.isPresent()) {
      docker = docker.withRegistryCredentials(user.get().reveal(), password.get());
    } else if (user.isPresent() != password.isPresent()) {
      throw new InvalidRequestException("docker registry credentials need both registry-user and"
          + " registry-password (or CODEB_DOCKER_REGISTRY_USER and _PASSWORD), or neither");
    }
    String registry = config.query("registry").orElse("");
    if (!registry.isBlank()) {
      docker = docker.withRegistryHost(registry);
    }
    return docker;
  }

  private static InvalidRequestException invalid(URI uri, String expected) {
    return new InvalidRequestException("unsupported Docker URI '" + uri + "': " + expected
        + " (forms: docker://, docker+unix:///var/run/docker.sock, docker+tcp://127.0.0.1:2375,"
        + " docker+ssh://user@host[:port])");
  }
}
