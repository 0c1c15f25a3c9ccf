package kr.codeb.ports;

import java.util.Objects;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;

/**
 * A project's ports in one environment, as allocation returns them.
 *
 * @param created whether this call allocated them (false: the project already held them)
 */
public record ProjectPorts(
    ProjectName project, Environment environment, SlotPorts ports, boolean created) {
  public ProjectPorts {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(ports, "ports");
  }
}
