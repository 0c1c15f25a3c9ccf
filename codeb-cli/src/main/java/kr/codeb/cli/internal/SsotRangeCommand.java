package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.Environment;
import kr.codeb.ports.PortRange;
import kr.codeb.ports.RegistryEdit;
import kr.codeb.ports.SsotStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code we ssot range}: the SSOT's named port ranges. */
@Command(
    name = "range", header = "Set the SSOT's named port ranges.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "The SSOT's portRanges: one range per environment, and 'storage' for the"
        + " storage servers' databases.")
final class SsotRangeCommand implements Callable<Integer> {
  private final Session session;

  SsotRangeCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    return session.missingSubcommand("we ssot range");
  }

  /** {@code we ssot range set NAME START-END}. */
  @Command(
      name = "set", header = "Add a named port range or change one.",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {"Sets portRanges.NAME to START-END (inclusive). Refused when it overlaps",
          "another range, or would leave a port held in it outside; setting the range a name",
          "has already writes nothing."})
  static final class Set implements Callable<Integer> {
    private final Session session;

    @Parameters(index = "0", paramLabel = "NAME",
        description = "The range's name: an environment (production) or storage.")
    String name;

    @Parameters(index = "1", paramLabel = "START-END", description = "e.g. 5432-5531.")
    String range;

    Set(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      Environment env = new Environment(name);
      PortRange ports = parse(range);
      boolean changed;
      try (SsotStore store = session.openSsot()) {
        changed = store.apply(new RegistryEdit.SetRange(env, ports));
      }
      if (session.json()) {
        ObjectNode root = session.jsonOutput().object();
        root.put("name", env.name());
        root.put("start", ports.start());
        root.put("end", ports.end());
        root.put("changed", changed);
        session.printJson(root);
      } else {
        session.out().println("range " + env + " " + ports + (changed ? " (set)" : " (unchanged)"));
      }
      return 0;
    }

    static PortRange parse(String text) {
      String[] parts = text.split("-", -1);
      if (parts.length != 2 || !parts[0].matches("[0-9]{1,5}") || !parts[1].matches("[0-9]{1,5}")) {
        throw new InvalidRequestException("range " + Checks.quote(text) + " is not START-END:"
            + " give two port numbers 1-65535, e.g. 5432-5531");
      }
      return new PortRange(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }
  }
}
