package kr.codeb.runtime;

import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;

/**
 * A named volume of the engine mounted into a container: created by the engine on first use,
 * kept when the container is removed (a database's data survives a replacement).
 *
 * @param volume the volume's name ({@code shop-production-postgres-data})
 * @param path the absolute path inside the container
 */
public record VolumeMount(String volume, String path) {
  public VolumeMount {
    if (volume == null || !volume.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}")) {
      throw new InvalidRequestException("invalid volume name " + Checks.quote(volume)
          + ": use letters, digits, '_', '.', '-', starting with a letter or digit");
    }
    if (path == null || !path.startsWith("/") || path.contains(":") || path.contains("\0")) {
      throw new InvalidRequestException("invalid mount path " + Checks.quote(path)
          + ": give an absolute path inside the container, without ':'");
    }
  }
}
