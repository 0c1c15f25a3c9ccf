package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.HealthReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code we health PROJECT --env ENV}: one probe of the live slot's health path. */
@Command(
    name = "health", header = "Probe the live slot's health path once (exit 1: unhealthy).",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Probe the live slot's health path once. Exit 0 healthy, 1 unhealthy."})
final class HealthCommand implements Callable<Integer> {
  private final Session session;

  @Mixin ProjectEnvOptions target;

  HealthCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    DeployKey key = target.key();
    HealthReport h;
    try (DeployProviders providers = DeployProviders.forDeploy(session, key)) {
      h = providers.deployments().health(key);
    }
    if (session.json()) {
      ObjectNode n = new DeployJson(session.jsonOutput()).key(key);
      n.put("slot", h.slot().id());
      n.put("port", h.port());
      n.put("path", h.path());
      n.put("healthy", h.healthy());
      n.put("status", h.status());
      n.put("detail", h.detail());
      var servers = n.putArray("servers");
      for (HealthReport.Server on : h.servers()) {
        ObjectNode o = servers.addObject();
        o.put("server", on.server());
        o.put("healthy", on.healthy());
        o.put("status", on.status());
        o.put("detail", on.detail());
      }
      session.printJson(n);
    } else {
      session.out().println(key + ": " + (h.healthy() ? "healthy" : "UNHEALTHY") + " ("
          + h.slot() + ", port " + h.port() + ", GET " + h.path() + ": " + h.detail() + ")");
    }
    return h.healthy() ? 0 : 1;
  }
}
