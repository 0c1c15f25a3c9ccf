package kr.codeb.db;

import java.util.Objects;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.runtime.ImageRef;

/**
 * One database to run: the project's {@code kind} in the environment.
 *
 * @param version the image tag of the official image ({@code 16}); also recorded as a label
 * @param image an image to run instead of the official {@code <kind>:<version>} (it must behave
 *     like the official one for what CodeB relies on, see the README)
 */
public record DbRequest(ProjectName project, Environment environment, DbKind kind,
    String version, Optional<String> image) {
  public DbRequest {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(version, "version");
    if (!version.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")) {
      throw new InvalidRequestException("invalid version '" + version + "': an image tag such"
          + " as 16 or 7.2-alpine");
    }
    Objects.requireNonNull(image, "image");
    image.ifPresent(ImageRef::check);
  }

  /** The request with the kind's default version and the official image. */
  public static DbRequest of(ProjectName project, Environment environment, DbKind kind) {
    return new DbRequest(project, environment, kind, kind.defaultVersion(), Optional.empty());
  }

  /** The image that runs: the given one, else the official {@code <kind>:<version>}. */
  public String imageToRun() {
    return image.orElse(kind.officialImage() + ":" + version);
  }
}
