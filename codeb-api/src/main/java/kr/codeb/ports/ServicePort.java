package kr.codeb.ports;

import java.util.Objects;
import kr.codeb.Checks;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;

/**
 * A host port a project's storage service holds (its Postgres, its Redis), recorded in the
 * project's SSOT entry under {@code services.<environment>.<service>.port}, a key that readers
 * which know only {@code ports} ignore.
 *
 * @param service the service's name, a label such as {@code postgres} or {@code redis}
 * @param created whether the call that returned it took the port (false: it was held already)
 */
public record ServicePort(
    ProjectName project, Environment environment, String service, int port, boolean created) {
  public ServicePort {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(environment, "environment");
    Checks.label("service name", service, "postgres");
    Checks.port("service port", port);
  }

  /** The port the project's service holds in the environment, if any. */
  public static java.util.Optional<ServicePort> held(Registry registry, ProjectName project,
      Environment environment, String service) {
    return kr.codeb.ports.internal.ServiceEntries.find(registry, project, environment, service);
  }
}
