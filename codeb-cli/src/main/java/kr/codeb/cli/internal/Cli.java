package kr.codeb.cli.internal;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.UnaryOperator;
import picocli.CommandLine;

/**
 * Builds the command tree and runs one command line. New command groups ({@code deploy},
 * {@code domain}, {@code firewall}) are one class each, added in {@link #commandLine}.
 */
public final class Cli {
  private Cli() {}

  public static int run(String[] args, PrintStream out, PrintStream err, UnaryOperator<String> env) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      // Start-up fast path: the same line picocli prints, without building the command tree
      // (about 1,200 classes loaded instead of 1,700; see docs/benchmarks.md).
      out.println(new VersionProvider().getVersion()[0]);
      out.flush();
      return 0;
    }
    Session session = new Session(out, err, env, jsonRequested(args));
    CommandLine line = commandLine(session, group(args));
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    line.setParameterExceptionHandler((ex, ignored) -> session.usageError(ex));
    line.setExecutionExceptionHandler((ex, cmd, parsed) -> session.failure(ex));
    try {
      return line.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  static CommandLine commandLine(Session session) {
    return commandLine(session, null);
  }

  /**
   * The command tree. With {@code only} naming a top-level command, only that one is built
   * (start-up: picocli builds every command's model by reflection, and its classes cannot be
   * class-data shared; see docs/benchmarks.md); parsing, help and errors of that command are
   * the same. Without it (help, unknown commands, usage errors at the top) the whole tree.
   */
  static CommandLine commandLine(Session session, String only) {
    CommandLine we = new CommandLine(new WeCommand(session));
    if (only == null || only.equals("ssot")) {
      we.addSubcommand(new CommandLine(new SsotCommand(session))
          .addSubcommand(new SsotShowCommand(session))
          .addSubcommand(new SsotCheckCommand(session))
          .addSubcommand(new SsotAllocateCommand(session))
          .addSubcommand(new SsotReleaseCommand(session))
          .addSubcommand(new SsotRepairCommand(session)));
    }
    if (only == null || only.equals("deploy")) {
      we.addSubcommand(new DeployCommand(session));
    }
    if (only == null || only.equals("slot")) {
      we.addSubcommand(new SlotCommand(session));
    }
    if (only == null || only.equals("promote")) {
      we.addSubcommand(new PromoteCommand(session));
    }
    if (only == null || only.equals("rollback")) {
      we.addSubcommand(new RollbackCommand(session));
    }
    if (only == null || only.equals("health")) {
      we.addSubcommand(new HealthCommand(session));
    }
    if (only == null || only.equals("routes")) {
      we.addSubcommand(new RoutesCommand(session));
    }
    if (only == null || only.equals("firewall")) {
      we.addSubcommand(FirewallCommand.commandLine(session));
    }
    if (only == null || only.equals("domain")) {
      we.addSubcommand(DomainCommand.tree(session));
    }
    if (only == null || only.equals("lock")) {
      we.addSubcommand(new CommandLine(new LockCommand(session))
          .addSubcommand(new LockCommand.Show(session))
          .addSubcommand(new LockCommand.Break(session)));
    }
    return we;
  }

  /** Top-level commands, in the order of the full tree. */
  private static final List<String> COMMANDS = List.of("ssot", "deploy", "slot", "promote",
      "rollback", "health", "routes", "firewall", "domain", "lock");
  /** The top command's options that take a value as the next argument. */
  private static final List<String> VALUE_OPTIONS = List.of("--config", "--ssot", "--runtime",
      "--proxy", "--dns", "--firewall");

  /**
   * The top-level command the line names (its first argument that is neither a global option
   * nor such an option's value), or null when it names none, one that does not exist, or
   * another option comes first (help, version, a usage error: answered with the whole tree).
   */
  static String group(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        return null;
      }
      if (VALUE_OPTIONS.contains(a)) {
        i++;
        continue;
      }
      if (a.equals("--json") || VALUE_OPTIONS.stream().anyMatch(o -> a.startsWith(o + "="))) {
        continue;
      }
      if (a.startsWith("-")) {
        return null; // --help, --version, an unknown option: the top level answers, fully
      }
      return COMMANDS.contains(a) ? a : null;
    }
    return null;
  }

  /**
   * Whether {@code --json} is on the command line, before any {@code --}: known even when the
   * line does not parse, so a usage error can be reported as JSON too.
   */
  private static boolean jsonRequested(String[] args) {
    for (String a : List.of(args)) {
      if (a.equals("--")) {
        return false;
      }
      if (a.equals("--json")) {
        return true;
      }
    }
    return false;
  }
}
