package kr.codeb.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;

/**
 * What to run: a named container from an image with labels, environment and published ports,
 * restarted by the engine unless stopped by hand ({@code unless-stopped}).
 * {@link #toString()} shows the environment's names only, never its values (they hold secrets).
 *
 * @param command the command to run instead of the image's own; empty for the image's
 * @param volumes named volumes to mount (none for an app slot)
 * @param hostNetwork whether the container shares the server's network (no port publishing:
 *     its process listens on the server's addresses itself; {@code ports} must be empty)
 */
public record ContainerSpec(
    String name,
    String image,
    Map<String, String> labels,
    Map<String, String> env,
    List<PortBinding> ports,
    List<String> command,
    List<VolumeMount> volumes,
    boolean hostNetwork) {

  /** A container on the engine's default network, without volumes. */
  public ContainerSpec(String name, String image, Map<String, String> labels,
      Map<String, String> env, List<PortBinding> ports, List<String> command) {
    this(name, image, labels, env, ports, command, List.of(), false);
  }

  public ContainerSpec {
    if (name == null || !name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}")) {
      throw new InvalidRequestException("invalid container name " + Checks.quote(name)
          + ": use letters, digits, '_', '.', '-', starting with a letter or digit");
    }
    image = ImageRef.check(image);
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(labels)));
    env = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(env)));
    env.keySet().forEach(k -> {
      if (!k.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
        throw new InvalidRequestException("invalid environment variable name " + Checks.quote(k));
      }
    });
    ports = List.copyOf(ports);
    command = List.copyOf(command);
    volumes = List.copyOf(volumes);
    if (hostNetwork && !ports.isEmpty()) {
      throw new InvalidRequestException("container " + name + " shares the host's network:"
          + " it publishes no ports (its process listens on the host's addresses)");
    }
  }

  @Override
  public String toString() {
    return "ContainerSpec[name=" + name + ", image=" + image + ", labels=" + labels
        + ", env=" + env.keySet() + ", ports=" + ports + ", command=" + command
        + (volumes.isEmpty() ? "" : ", volumes=" + volumes) + (hostNetwork ? ", network=host" : "")
        + "]";
  }
}
