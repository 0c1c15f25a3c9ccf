package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import kr.codeb.fleet.Role;
import kr.codeb.fleet.Server;
import kr.codeb.fleet.Topology;
import kr.codeb.model.Environment;
import kr.codeb.ports.Finding;
import kr.codeb.ports.FindingKind;
import kr.codeb.ports.ProjectEntry;
import kr.codeb.ports.Registry;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.SsotStore;
import picocli.CommandLine.Command;

/** {@code we ssot check}: the registry's inconsistencies; exit 1 when there are any. */
@Command(
    name = "check", header = "Find inconsistencies in the SSOT (exit 1 if there are any).",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Report inconsistencies in the SSOT; exit 1 if there are any.",
    footer = {"", "Exit codes: 0 no findings, 1 findings (or the check failed),"
        + " 2 bad input (a malformed SSOT, a bad option)."})
final class SsotCheckCommand implements Callable<Integer> {
  private final Session session;

  SsotCheckCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    List<Finding> findings;
    try (SsotStore store = session.openSsot()) {
      findings = new ArrayList<>(new PortOperations(store).check());
      findings.addAll(placementFindings(store.read(), session.config().topology()));
    }
    if (session.json()) {
      ObjectNode root = session.jsonOutput().object();
      root.set("findings", session.jsonOutput().findings(findings));
      session.printJson(root);
    } else {
      printFindings(findings, session.out());
      session.out().println(findings.isEmpty() ? "no findings"
          : count(findings.size(), "finding") + "; see 'we ssot repair --dry-run'");
    }
    return findings.isEmpty() ? 0 : 1;
  }

  /**
   * Placements ({@code projects.<name>.placement.<env>}) naming a server that the config file
   * does not have as an app server; none when the config file names no servers.
   */
  static List<Finding> placementFindings(Registry registry, Topology topology) {
    List<Finding> found = new ArrayList<>();
    if (topology.servers().isEmpty()) {
      return found;
    }
    List<String> apps = topology.withRole(Role.APP).stream().map(Server::name).toList();
    for (ProjectEntry p : registry.projects().values()) {
      for (Environment env : p.ports().keySet()) {
        for (String server : p.placement(env)) {
          if (!apps.contains(server)) {
            found.add(new Finding(FindingKind.UNKNOWN_PLACEMENT_SERVER, Optional.empty(),
                List.of(p.name().value()), List.of(env.name()), "project " + p.name() + " is"
                    + " placed on " + server + " in " + env + " (SSOT placement "
                    + p.placement(env) + "), but the config file has no app server " + server
                    + " (app servers: " + apps + "); the next deploy records the placement it"
                    + " uses"));
          }
        }
      }
    }
    return found;
  }

  /** One line per finding: {@code owner-mismatch 4101: message}. */
  static void printFindings(List<Finding> findings, PrintStream out) {
    for (Finding f : findings) {
      out.println(f.kind().id() + f.port().map(p -> " " + p).orElse("") + ": " + f.message());
    }
  }

  static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
