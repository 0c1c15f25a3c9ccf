package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import kr.codeb.deploy.DeployKey;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.ProjectPorts;
import kr.codeb.ports.SsotStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code we ssot allocate PROJECT --env ENV}: the project's blue/green pair, taken if needed. */
@Command(
    name = "allocate", header = "Give a project blue and green ports in an environment.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Give the project a blue/green port pair in the environment's SSOT range,",
        "or print the pair it already holds (nothing is written then)."})
final class SsotAllocateCommand implements Callable<Integer> {
  private final Session session;

  @Mixin ProjectEnvOptions target;

  SsotAllocateCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    // Validated before the store is opened: bad input never reads or writes anything.
    DeployKey key = target.key();
    ProjectName name = key.project();
    Environment env = key.environment();
    ProjectPorts result;
    try (SsotStore store = session.openSsot()) {
      result = new PortOperations(store).allocate(name, env);
    }
    if (session.json()) {
      ObjectNode root = session.jsonOutput().object();
      root.put("project", result.project().value());
      root.put("environment", result.environment().name());
      root.put("blue", result.ports().blue());
      root.put("green", result.ports().green());
      root.put("created", result.created());
      session.printJson(root);
    } else {
      session.out().println(result.project() + " " + result.environment() + ": blue "
          + result.ports().blue() + ", green " + result.ports().green()
          + (result.created() ? " (allocated)" : " (already held)"));
    }
    return 0;
  }
}
