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
    Session session = new Session(out, err, env, jsonRequested(args));
    CommandLine line = commandLine(session);
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
    CommandLine ssot = new CommandLine(new SsotCommand(session))
        .addSubcommand(new SsotShowCommand(session))
        .addSubcommand(new SsotCheckCommand(session))
        .addSubcommand(new SsotAllocateCommand(session))
        .addSubcommand(new SsotReleaseCommand(session))
        .addSubcommand(new SsotRepairCommand(session));
    CommandLine lock = new CommandLine(new LockCommand(session))
        .addSubcommand(new LockCommand.Show(session))
        .addSubcommand(new LockCommand.Break(session));
    return new CommandLine(new WeCommand(session))
        .addSubcommand(ssot)
        .addSubcommand(new DeployCommand(session))
        .addSubcommand(new SlotCommand(session))
        .addSubcommand(new PromoteCommand(session))
        .addSubcommand(new RollbackCommand(session))
        .addSubcommand(new HealthCommand(session))
        .addSubcommand(new RoutesCommand(session))
        .addSubcommand(FirewallCommand.commandLine(session))
        .addSubcommand(DomainCommand.tree(session))
        .addSubcommand(lock);
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
