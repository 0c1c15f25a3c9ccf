package kr.codeb.examples;

import kr.codeb.ProviderRegistry;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.Finding;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.ProjectPorts;
import kr.codeb.ports.SsotStore;

/**
 * The smallest program that embeds CodeB: open a registry by path or URI, check it, allocate
 * ports for a project. Usage: {@code SsotTour SSOT PROJECT [ENVIRONMENT]}.
 */
public final class SsotTour {
  private SsotTour() {}

  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println("usage: SsotTour SSOT PROJECT [ENVIRONMENT]");
      System.exit(2);
    }
    Environment env = Environment.of(args.length > 2 ? args[2] : "production");
    try (SsotStore store = ProviderRegistry.load().ssotStore(args[0])) {
      PortOperations ops = new PortOperations(store);
      for (Finding f : ops.check()) {
        System.out.println("finding " + f.kind().id() + ": " + f.message());
      }
      ProjectPorts ports = ops.allocate(ProjectName.of(args[1]), env);
      System.out.println(ports.project() + " " + env + ": blue " + ports.ports().blue()
          + ", green " + ports.ports().green());
    }
  }
}
