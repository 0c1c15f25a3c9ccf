package kr.codeb;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import kr.codeb.internal.Checks;

/**
 * What to run: a named container from an image with labels, environment and published ports.
 * {@link #toString()} shows the environment's names only, never its values (they hold secrets).
 */
public record ContainerSpec(
    String name,
    String image,
    Map<String, String> labels,
    Map<String, String> env,
    List<PortBinding> ports,
    List<String> command) {

  public ContainerSpec {
    if (name == null || !name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}")) {
      throw new InvalidRequestException("invalid container name " + Checks.quote(name)
          + ": use letters, digits, '_', '.', '-', starting with a letter or digit");
    }
    if (image == null || image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
      throw new InvalidRequestException("invalid image name " + Checks.quote(image)
          + ": an image reference has no spaces (e.g. ghcr.io/acme/web:1.2)");
    }
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(labels)));
    env = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(env)));
    ports = List.copyOf(ports);
    command = List.copyOf(command);
  }

  @Override
  public String toString() {
    return "ContainerSpec[name=" + name + ", image=" + image + ", labels=" + labels
        + ", env=" + env.keySet() + ", ports=" + ports + ", command=" + command + "]";
  }
}
