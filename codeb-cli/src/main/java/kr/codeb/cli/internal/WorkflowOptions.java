package kr.codeb.cli.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.fleet.Role;
import kr.codeb.fleet.Server;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.Registry;
import kr.codeb.ports.SsotStore;
import kr.codeb.workflow.WorkflowSpec;
import picocli.CommandLine.Option;

/** The options that make a {@link WorkflowSpec}, shared by {@code we workflow} commands. */
final class WorkflowOptions {
  @Option(names = "--env", paramLabel = "ENV",
      description = "Environment as the SSOT's portRanges define it, e.g. production.")
  String environment;

  @Option(names = "--branch", paramLabel = "BRANCH", defaultValue = WorkflowSpec.DEFAULT_BRANCH,
      description = "The branch whose pushes deploy (default: ${DEFAULT-VALUE}).")
  String branch;

  @Option(names = "--registry", paramLabel = "HOST[/PATH]",
      description = "Where the image is pushed, e.g. ghcr.io/acme (default: ghcr.io/<repository"
          + " owner>).")
  String registry;

  @Option(names = "--registry-user", paramLabel = "USER",
      description = "User name for the registry login (default: the user who started the run).")
  String registryUser;

  @Option(names = "--registry-secret", paramLabel = "NAME",
      defaultValue = WorkflowSpec.GITHUB_TOKEN,
      description = "The repository secret holding the registry password (default:"
          + " ${DEFAULT-VALUE}, for ghcr.io).")
  String registrySecret;

  @Option(names = "--dockerfile", paramLabel = "PATH",
      defaultValue = WorkflowSpec.DEFAULT_DOCKERFILE,
      description = "The Dockerfile, relative to the repository root (default: ${DEFAULT-VALUE}).")
  String dockerfile;

  @Option(names = "--context", paramLabel = "DIR", defaultValue = WorkflowSpec.DEFAULT_CONTEXT,
      description = "The build context, relative to the repository root (default:"
          + " ${DEFAULT-VALUE}).")
  String context;

  @Option(names = "--health-path", paramLabel = "PATH",
      defaultValue = WorkflowSpec.DEFAULT_HEALTH_PATH,
      description = "The path the health gate probes (default: ${DEFAULT-VALUE}).")
  String healthPath;

  @Option(names = "--runner-label", paramLabel = "LABEL",
      description = "A label of the app server's self-hosted runner; repeatable (default: the"
          + " name of the config file's app server).")
  List<String> runnerLabels = new ArrayList<>();

  @Option(names = "--server", paramLabel = "NAME",
      description = "The config file's app server whose runner deploys (when it has several).")
  String server;

  /**
   * The spec for {@code project}: every value checked, the environment checked against the
   * SSOT, the runner labels from the options or the config file. Bad input is exit 2.
   */
  WorkflowSpec spec(Session session, String project) {
    if (environment == null) {
      throw new InvalidRequestException("--env ENV is required (an environment of the SSOT's"
          + " portRanges, e.g. production)");
    }
    ProjectName name = new ProjectName(project);
    Environment env = new Environment(environment);
    WorkflowSpec spec = new WorkflowSpec(name, env, branch, Optional.ofNullable(registry),
        Optional.ofNullable(registryUser), registrySecret, dockerfile, context, healthPath,
        labels(session));
    requireEnvironment(session, env);
    return spec;
  }

  /** The environment must be one the SSOT defines: the deploy on the runner would refuse it. */
  static void requireEnvironment(Session session, Environment env) {
    Registry registry;
    try (SsotStore store = session.openSsot()) {
      registry = store.read();
    }
    PortOperations.requireProjectEnvironment(registry, env);
  }

  private List<String> labels(Session session) {
    if (!runnerLabels.isEmpty()) {
      if (server != null) {
        throw new InvalidRequestException("give --runner-label or --server, not both");
      }
      return runnerLabels;
    }
    List<Server> apps = session.config().topology().withRole(Role.APP);
    if (server != null) {
      Server s = session.config().topology().server(server).orElseThrow(() ->
          new InvalidRequestException("--server " + server + " is not in the config file's"
              + " servers; app servers there: " + names(apps)));
      if (!s.roles().contains(Role.APP)) {
        throw new InvalidRequestException("--server " + server + " has no app role: deploys"
            + " run on an app server's runner; app servers: " + names(apps));
      }
      return List.of(s.name());
    }
    if (apps.size() == 1) {
      return List.of(apps.get(0).name());
    }
    if (apps.isEmpty()) {
      throw new InvalidRequestException("no runner labels: give --runner-label LABEL (the"
          + " labels of the app server's self-hosted runner, repeatable), or a config file"
          + " with an app server, whose name is its runner's label");
    }
    throw new InvalidRequestException("the config file has several app servers ("
        + names(apps) + "): pick the one whose runner deploys with --server NAME");
  }

  private static String names(List<Server> servers) {
    return servers.isEmpty() ? "(none)"
        : String.join(", ", servers.stream().map(Server::name).toList());
  }
}
