package kr.codeb.podman;

import java.net.URI;
import java.nio.file.Path;
import java.util.Set;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderConfig;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.runtime.ContainerRuntimeFactory;

/**
 * Podman runtimes by URI, without I/O:
 * <ul>
 *   <li>{@code podman://} (or {@code podman:}): find the service: the rootful
 *       {@code /run/podman/podman.sock}, then {@code $XDG_RUNTIME_DIR/podman/podman.sock} from
 *       the config's environment;
 *   <li>{@code podman+unix:///path/to/podman.sock}: that socket.
 * </ul>
 * Optional query {@code registry=HOST[:PORT]} sends the registry credentials only to that
 * registry. Credentials: {@code registry-user} and {@code registry-password}, explicit, else
 * {@code CODEB_PODMAN_REGISTRY_USER}/{@code _PASSWORD}.
 */
public final class PodmanRuntimeFactory implements ContainerRuntimeFactory {
  @Override
  public Set<String> schemes() {
    return Set.of("podman", "podman+unix");
  }

  @Override
  public ContainerRuntime create(ProviderConfig config) {
    return PodmanRuntime.create(toPodmanConfig(config));
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
        + " (forms: podman://, podman+unix:///run/podman/podman.sock)");
  }
}
