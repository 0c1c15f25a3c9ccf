package kr.codeb.podman;

import java.net.URI;
import java.nio.file.Path;
import java.util.Set;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderConfig;
import kr.codeb.docker.internal.CallTimeouts;
import kr.codeb.docker.internal.RemoteEngine;
import kr.codeb.fleet.ServerLink;
import kr.codeb.podman.internal.PodmanDialect;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.runtime.ContainerRuntimeFactory;

/**
 * Podman runtimes by URI, without I/O:
 * <ul>
 *   <li>{@code podman://} (or {@code podman:}): find the service: the rootful
 *       {@code /run/podman/podman.sock}, then {@code $XDG_RUNTIME_DIR/podman/podman.sock} from
 *       the config's environment;
 *   <li>{@code podman+unix:///path/to/podman.sock}: that socket;
 *   <li>{@code podman+ssh://user@host[:port][?socket=/run/podman/podman.sock]}: the service of
 *       that server over SSH ({@code podman system dial-stdio} there), set up as {@code
 *       docker+ssh://} is.
 * </ul>
 * With {@link ProviderConfig#server()}, {@code podman://} and {@code podman+unix://} name the
 * service on that server.
 * Optional query {@code registry=HOST[:PORT]} sends the registry credentials only to that
 * registry. Optional query {@code call-timeout=} ({@code 500ms}, {@code 20s}, {@code 2m}: a
 * positive whole number of milliseconds, seconds or minutes) bounds each call that is not a
 * stream ({@link PodmanConfig#callTimeout()}); without it {@code CODEB_PODMAN_CALL_TIMEOUT} from
 * the config's environment, else 60 s. Docker's {@code CODEB_DOCKER_CALL_TIMEOUT} is not read.
 * Any other value is refused with an {@code InvalidRequestException} naming it, before anything
 * is opened. Credentials: {@code registry-user} and {@code registry-password}, explicit, else
 * {@code CODEB_PODMAN_REGISTRY_USER}/{@code _PASSWORD}.
 */
public final class PodmanRuntimeFactory implements ContainerRuntimeFactory {
  @Override
  public Set<String> schemes() {
    return Set.of("podman", "podman+unix", "podman+ssh");
  }

  @Override
  public ContainerRuntime create(ProviderConfig config) {
    if (config.scheme().equals("podman+ssh")) {
      PodmanConfig podman = withCallTimeout(config, withCredentials(config, PodmanConfig.auto()
          .withEnvironment(config.environment())));
      String socket = config.query("socket").orElse("");
      if (!socket.isBlank()) {
        if (!socket.startsWith("/") || socket.length() < 2) {
          throw invalid(config.uri(), "socket= must be an absolute path such as"
              + " /run/podman/podman.sock");
        }
        podman = podman.withSocket(Path.of(socket));
      }
      ServerLink link = RemoteEngine.linkOf(config,
          "podman+ssh://user@host[:port][?socket=/run/podman/podman.sock]");
      return PodmanRuntime.onServer(link, true, podman);
    }
    PodmanConfig podman = toPodmanConfig(config);
    if (config.server().isPresent()) {
      return PodmanRuntime.onServer(config.server().get(), podman);
    }
    return PodmanRuntime.create(podman);
  }

  /** The {@link PodmanConfig} a provider config stands for. */
  public static PodmanConfig toPodmanConfig(ProviderConfig config) {
    URI uri = config.uri();
    PodmanConfig podman = PodmanConfig.auto().withEnvironment(config.environment());
    switch (config.scheme()) {
      case "podman" -> {
        boolean bare = uri.isOpaque() ? uri.getRawSchemeSpecificPart().isEmpty()
            : uri.getRawAuthority() == null && (uri.getRawPath() == null
                || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"));
        if (!bare) {
          throw invalid(uri, "podman:// takes no location; name a socket with podman+unix://");
        }
      }
      case "podman+unix" -> {
        if (uri.isOpaque() || uri.getRawAuthority() != null || uri.getPath() == null
            || uri.getPath().length() < 2) {
          throw invalid(uri, "expected podman+unix:///path/to/podman.sock");
        }
        podman = podman.withSocket(Path.of(uri.getPath()));
      }
      default -> throw invalid(uri, "not a Podman scheme");
    }
    return withCallTimeout(config, withCredentials(config, podman));
  }

  /** The URI's {@code call-timeout=}, else {@code CODEB_PODMAN_CALL_TIMEOUT}, else the default. */
  private static PodmanConfig withCallTimeout(ProviderConfig config, PodmanConfig podman) {
    return CallTimeouts.of(config, PodmanDialect.CALL_TIMEOUT_VARIABLE)
        .map(podman::withCallTimeout).orElse(podman);
  }

  private static PodmanConfig withCredentials(ProviderConfig config, PodmanConfig podman) {
    var user = config.secret("podman", "registry-user");
    var password = config.secret("podman", "registry-password");
    if (user.isPresent() && password.isPresent()) {
      podman = podman.withRegistryCredentials(user.get().reveal(), password.get());
    } else if (user.isPresent() != password.isPresent()) {
      throw new InvalidRequestException("podman registry credentials need both registry-user and"
          + " registry-password (or CODEB_PODMAN_REGISTRY_USER and _PASSWORD), or neither");
    }
    String registry = config.query("registry").orElse("");
    if (!registry.isBlank()) {
      podman = podman.withRegistryHost(registry);
    }
    return podman;
  }

  private static InvalidRequestException invalid(URI uri, String expected) {
    return new InvalidRequestException("unsupported Podman URI '" + uri + "': " + expected
        + " (forms: podman://, podman+unix:///run/podman/podman.sock,"
        + " podman+ssh://user@host[:port])");
  }
}
