package kr.codeb.mcp.internal;

import java.time.Duration;
import kr.codeb.deploy.DeployKey;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;

/** Fields that many tools share, described once. */
final class Fields {
  static final String PROJECT_ALLOWED = "a project name such as vsvs-kr (lower-case letters,"
      + " digits and '-')";
  static final String ENVIRONMENT_ALLOWED = "an environment that the SSOT's portRanges define,"
      + " such as production or staging";

  private Fields() {}

  /** {@code project} and {@code environment}, both required. */
  static Schema projectEnvironment(Schema s) {
    return s.string("project", "The project, as named in the SSOT: " + PROJECT_ALLOWED + ".",
            true)
        .string("environment", "The environment: " + ENVIRONMENT_ALLOWED + ".", true);
  }

  static DeployKey key(Params p) {
    ProjectName project = Params.checked("project", p.string("project", PROJECT_ALLOWED),
        ProjectName::new);
    Environment env = Params.checked("environment", p.string("environment",
        ENVIRONMENT_ALLOWED), Environment::new);
    return new DeployKey(project, env);
  }

  /** A key's output fields. */
  static Schema keyOut(Schema s) {
    return s.out("project", "The project.", "string")
        .out("environment", "The environment.", "string");
  }

  static String human(Duration d) {
    long ms = d.toMillis();
    return ms < 1000 ? ms + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
