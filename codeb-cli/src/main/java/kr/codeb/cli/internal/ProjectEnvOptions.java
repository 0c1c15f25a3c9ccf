package kr.codeb.cli.internal;

import kr.codeb.deploy.DeployKey;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code PROJECT --env ENV}, shared by the deploy and ssot verbs (a picocli mixin). */
final class ProjectEnvOptions {
  @Parameters(index = "0", paramLabel = "PROJECT", description = "Project name, e.g. vsvs-kr.")
  String project;

  @Option(names = "--env", paramLabel = "ENV", required = true,
      description = "Environment as the SSOT's portRanges define it, e.g. production.")
  String environment;

  /** Checks both names (exit 2 when bad); nothing is opened. */
  DeployKey key() {
    return new DeployKey(new ProjectName(project), new Environment(environment));
  }
}
