package kr.codeb.deploy;

import java.util.Objects;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;

/** A project in one environment: the unit of deploys, locks and release history. */
public record DeployKey(ProjectName project, Environment environment) {
  public DeployKey {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(environment, "environment");
  }

  /** {@code project-environment}, as used in container, route and file names. */
  public String id() {
    return project + "-" + environment;
  }

  @Override
  public String toString() {
    return project + " " + environment;
  }
}
