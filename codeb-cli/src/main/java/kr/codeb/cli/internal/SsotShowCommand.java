package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import kr.codeb.InputFiles;
import kr.codeb.ports.Registry;
import kr.codeb.ports.SsotStore;
import picocli.CommandLine.Command;

/** {@code we ssot show}: ranges, projects with their ports, and the allocation records. */
@Command(
    name = "show", header = "Show the port ranges, the projects and their ports.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Print the port ranges, the projects and their ports, and ports.allocated.")
final class SsotShowCommand implements Callable<Integer> {
  private final Session session;

  SsotShowCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    Registry registry;
    String location;
    try (SsotStore store = session.openSsot()) {
      registry = store.read();
      location = store.info().location();
    }
    if (session.json()) {
      session.printJson(json(session.jsonOutput(), registry));
    } else {
      human(registry, location, session.out());
    }
    return 0;
  }

  /** The {@code --json} document (the MCP server's {@code ssot_show} returns the same). */
  static ObjectNode json(JsonOutput j, Registry r) {
    ObjectNode root = j.object();
    root.put("version", r.version());
    root.put("revision", r.revision().value());
    ObjectNode ranges = root.putObject("ranges");
    r.portRanges().forEach((env, range) ->
        ranges.putObject(env.name()).put("start", range.start()).put("end", range.end()));
    ObjectNode projects = root.putObject("projects");
    r.projects().forEach((name, entry) -> {
      ObjectNode p = projects.putObject(name.value());
      entry.ports().forEach((env, ports) ->
          p.putObject(env.name()).put("blue", ports.blue()).put("green", ports.green()));
    });
    ObjectNode allocated = root.putObject("allocated");
    r.allocations().forEach((port, a) -> allocated.set(String.valueOf(port), j.allocation(a)));
    return root;
  }

  private static void human(Registry r, String location, PrintStream out) {
    out.println("SSOT " + InputFiles.shown(location) + " (version " + r.version()
        + ", revision " + r.revision() + ")");
    out.println();
    Table ranges = new Table("ENVIRONMENT", "START", "END", "PORTS");
    r.portRanges().forEach((env, range) ->
        ranges.row(env, range.start(), range.end(), range.size()));
    out.println("Ranges:");
    ranges.print(out, "  ");
    out.println();
    Table projects = new Table("PROJECT", "ENVIRONMENT", "BLUE", "GREEN");
    r.projects().forEach((name, entry) -> entry.ports().forEach((env, ports) ->
        projects.row(name, env, ports.blue(), ports.green())));
    out.println("Projects:");
    if (projects.isEmpty()) {
      out.println("  (none)");
    } else {
      projects.print(out, "  ");
    }
    out.println();
    Table allocated = new Table("PORT", "PROJECT", "SLOT", "ENVIRONMENT");
    r.allocations().forEach((port, a) -> allocated.row(port, a.project(), a.slot(),
        a.environment().map(Object::toString).orElse("-")));
    out.println("Allocated (ports.allocated):");
    if (allocated.isEmpty()) {
      out.println("  (none)");
    } else {
      allocated.print(out, "  ");
    }
  }
}
