package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import kr.codeb.deploy.DeployKey;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.SsotStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code we ssot release PROJECT --env ENV}: gives the project's pair back; idempotent. */
@Command(
    name = "release", header = "Free a project's ports in an environment.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Give the project's ports in the environment back to the SSOT.",
        "Idempotent: releasing what is not held succeeds with released=false."})
final class SsotReleaseCommand implements Callable<Integer> {
  private final Session session;

  @Mixin ProjectEnvOptions target;

  SsotReleaseCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    DeployKey key = target.key();
    ProjectName name = key.project();
    Environment env = key.environment();
    boolean released;
    try (SsotStore store = session.openSsot()) {
      released = new PortOperations(store).release(name, env);
    }
    if (session.json()) {
      ObjectNode root = session.jsonOutput().object();
      root.put("project", name.value());
      root.put("environment", env.name());
      root.put("released", released);
      session.printJson(root);
    } else {
      session.out().println(name + " " + env + ": "
          + (released ? "released" : "held no ports (nothing to release)"));
    }
    return 0;
  }
}
