package kr.codeb.db;

import java.util.Objects;
import java.util.Optional;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;

/**
 * One database as {@code we db list} shows it. Holds no secret.
 *
 * @param state the container's state ({@code running}, {@code exited}, ...)
 * @param sizeBytes the data volume's size on disk, when the server could tell
 */
public record DbInstance(ProjectName project, Environment environment, DbKind kind,
    String version, String image, int port, String server, String state,
    Optional<Long> sizeBytes) {
  public DbInstance {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(sizeBytes, "sizeBytes");
  }

  /** The container's (and the data volume's prefix) name: {@code <project>-<env>-<kind>}. */
  public String name() {
    return project.value() + "-" + environment.name() + "-" + kind.id();
  }
}
