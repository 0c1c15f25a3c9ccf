package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import kr.codeb.ports.Finding;
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
      findings = new PortOperations(store).check();
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
