package kr.codeb.cli.internal;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import kr.codeb.audit.AuditContext;
import kr.codeb.deploy.Actor;
import picocli.CommandLine;

/**
 * Builds the command tree and runs one command line. New command groups ({@code deploy},
 * {@code domain}, {@code firewall}) are one class each, added in {@link #commandLine}.
 */
public final class Cli {
  private Cli() {}

  public static int run(String[] args, PrintStream out, PrintStream err, UnaryOperator<String> env) {
    return run(args, out, err, env, Path.of("").toAbsolutePath());
  }

  /**
   * Runs one command line with {@code workDir} as the folder relative paths (the SSOT file, the
   * config file) are resolved against: the daemon runs each client's line in the client's
   * folder, not its own.
   */
  static int run(String[] args, PrintStream out, PrintStream err, UnaryOperator<String> env,
      Path workDir) {
    return run(args, out, err, env, workDir, null);
  }

  /** The same with the daemon's warm providers ({@code pool}; null: none). */
  static int run(String[] args, PrintStream out, PrintStream err, UnaryOperator<String> env,
      Path workDir, ProviderPool.Scope pool) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      // Start-up fast path: the same line picocli prints, without building the command tree
      // (about 1,200 classes loaded instead of 1,700; see docs/benchmarks.md).
      for (String line : new VersionProvider().getVersion()) {
        out.println(line);
      }
      out.flush();
      return 0;
    }
    Session session = new Session(out, err, env, workDir, pool, jsonRequested(args));
    List<String> path = path(args);
    CommandLine line = commandLine(session, path);
    if (path.isEmpty()) {
      addExtensions(line, session);
    }
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    line.setParameterExceptionHandler(session::usageError);
    line.setExecutionExceptionHandler((ex, cmd, parsed) -> session.failure(ex));
    try {
      // Audit entries of changes made by this line name its actor and its command path
      // ("we ssot allocate"), never argument values (one may be a secret).
      return AuditContext.callAs(auditContext(env, args), () -> line.execute(args));
    } finally {
      out.flush();
      err.flush();
    }
  }

  private static AuditContext auditContext(UnaryOperator<String> env, String[] args) {
    String actor = Session.nonBlank(env.apply("CODEB_ACTOR"));
    List<String> command = new ArrayList<>(List.of("we"));
    command.addAll(path(args));
    return new AuditContext(actor != null ? actor : Actor.current(), String.join(" ", command));
  }

  static CommandLine commandLine(Session session) {
    return commandLine(session, List.of());
  }

  /**
   * The commands other modules contribute ({@link CliExtension}), after the built-in ones. Only
   * for a line that names no built-in command: the others never pay for the lookup.
   */
  private static void addExtensions(CommandLine line, Session session) {
    for (CliExtension extension : ServiceLoader.load(CliExtension.class,
        Cli.class.getClassLoader())) {
      if (!line.getSubcommands().containsKey(extension.name())) {
        line.addSubcommand(extension.name(), extension.command(new CliServices(session)));
      }
    }
  }

  /**
   * Whether the line's command is one an extension contributes ({@code we mcp}): its first
   * command word (after the global options) is no built-in command and names an extension. The
   * extensions are looked up only for such a word.
   */
  static boolean namesExtension(String[] args) {
    if (!path(args).isEmpty()) {
      return false;
    }
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        return false;
      }
      if (VALUE_OPTIONS.contains(a)) {
        i++;
      } else if (!a.startsWith("-")) {
        for (CliExtension extension : ServiceLoader.load(CliExtension.class,
            Cli.class.getClassLoader())) {
          if (extension.name().equals(a)) {
            return true;
          }
        }
        return false;
      }
    }
    return false;
  }

  /** A command of the tree: its name, how to make it, and its subcommands. */
  private record Node(String name, Function<Session, Object> make, List<Node> subcommands) {
    static Node leaf(String name, Function<Session, Object> make) {
      return new Node(name, make, List.of());
    }

    static Node group(String name, Function<Session, Object> make, Node... subcommands) {
      return new Node(name, make, List.of(subcommands));
    }

    Optional<Node> sub(String name) {
      return subcommands.stream().filter(n -> n.name.equals(name)).findFirst();
    }
  }

  /**
   * The whole command tree, in help order; the names are the commands' {@code @Command} names
   * (CliTreeTest checks that they agree).
   */
  private static final Node TREE = Node.group("we", WeCommand::new,
      Node.group("ssot", SsotCommand::new,
          Node.leaf("show", SsotShowCommand::new),
          Node.leaf("check", SsotCheckCommand::new),
          Node.leaf("allocate", SsotAllocateCommand::new),
          Node.leaf("release", SsotReleaseCommand::new),
          Node.leaf("repair", SsotRepairCommand::new),
          Node.group("range", SsotRangeCommand::new,
              Node.leaf("set", SsotRangeCommand.Set::new)),
          Node.leaf("serve", SsotServeCommand::new),
          Node.group("token", SsotTokenCommand::new,
              Node.leaf("create", SsotTokenCommand.Create::new),
              Node.leaf("list", SsotTokenCommand.ListTokens::new),
              Node.leaf("revoke", SsotTokenCommand.Revoke::new)),
          Node.leaf("migrate", SsotMigrateCommand::new)),
      Node.leaf("audit", AuditCommand::new),
      Node.group("db", DbCommand::new,
          Node.leaf("create", DbCommand.Create::new),
          Node.leaf("list", DbDataCommands.ListDbs::new),
          Node.leaf("remove", DbCommand.Remove::new),
          Node.leaf("backup", DbDataCommands.BackupDbs::new),
          Node.leaf("restore", DbDataCommands.RestoreDb::new),
          Node.leaf("rotate-password", DbCommand.RotatePassword::new)),
      Node.group("env", EnvCommand::new,
          Node.leaf("set", EnvSetCommand::new),
          Node.leaf("unset", EnvCommand.Unset::new),
          Node.leaf("keys", EnvCommand.Keys::new),
          Node.leaf("diff", EnvCommand.Diff::new)),
      Node.leaf("init", InitCommand::new),
      Node.leaf("destroy", DestroyCommand::new),
      Node.leaf("deploy", DeployCommand::new),
      Node.leaf("slot", SlotCommand::new),
      Node.leaf("promote", PromoteCommand::new),
      Node.leaf("rollback", RollbackCommand::new),
      Node.leaf("health", HealthCommand::new),
      Node.leaf("logs", LogsCommand::new),
      Node.leaf("exec", ExecCommand::new),
      Node.group("maintenance", MaintenanceCommand::new,
          Node.leaf("on", MaintenanceCommand.On::new),
          Node.leaf("off", MaintenanceCommand.Off::new)),
      Node.leaf("routes", RoutesCommand::new),
      Node.group("firewall", FirewallCommand::new,
          Node.leaf("list", FirewallCommand.ListRules::new),
          Node.leaf("allow", FirewallCommand.Allow::new),
          Node.leaf("revoke", FirewallCommand.Revoke::new)),
      Node.group("fleet", FleetCommand::new,
          Node.leaf("status", FleetCommand.Status::new),
          Node.leaf("trust", FleetCommand.Trust::new),
          Node.leaf("install", FleetInstallCommand::new)),
      Node.leaf("doctor", DoctorCommand::new),
      Node.group("domain", DomainCommand::new,
          Node.leaf("add", DomainCommand.Add::new),
          Node.leaf("remove", DomainCommand.Remove::new),
          Node.leaf("list", DomainCommand.ListDomains::new)),
      Node.group("lock", LockCommand::new,
          Node.leaf("show", LockCommand.Show::new),
          Node.leaf("break", LockCommand.Break::new)),
      Node.group("daemon", DaemonCommand::new,
          Node.leaf("start", DaemonCommand.Start::new),
          Node.leaf("stop", DaemonCommand.Stop::new),
          Node.leaf("status", DaemonCommand.Status::new),
          Node.leaf("run", DaemonCommand.Run::new)),
      Node.group("workflow", WorkflowCommand::new,
          Node.leaf("generate", WorkflowCommand.Generate::new),
          Node.leaf("check", WorkflowCheckCommand::new),
          Node.leaf("secrets", WorkflowCommand.Secrets::new),
          Node.leaf("summary", WorkflowSummaryCommand::new)),
      Node.leaf("completion", CompletionCommand::new));

  /**
   * The command tree, built only along {@code path} (the commands a line names, see
   * {@link #path}): {@code []} builds everything, {@code [ssot]} the top command and all of
   * {@code ssot}, {@code [ssot, show]} the top command, {@code ssot} and {@code show}. Why:
   * picocli builds every command's model by reflection at start-up and its classes cannot be
   * class-data shared (docs/benchmarks.md). Parsing, help and errors of the named command are
   * the same as in the whole tree.
   */
  static CommandLine commandLine(Session session, List<String> path) {
    return build(TREE, session, path);
  }

  private static CommandLine build(Node node, Session session, List<String> path) {
    CommandLine line = new CommandLine(node.make().apply(session));
    for (Node sub : node.subcommands()) {
      if (path.isEmpty()) {
        line.addSubcommand(sub.name(), build(sub, session, path));
      } else if (path.get(0).equals(sub.name())) {
        line.addSubcommand(sub.name(), build(sub, session, path.subList(1, path.size())));
      }
    }
    return line;
  }

  /** The top command's options that take a value as the next argument. */
  private static final List<String> VALUE_OPTIONS = List.of("--config", "--ssot", "--runtime",
      "--proxy", "--dns", "--firewall");

  /**
   * The commands the line names, outermost first: for each level, the first argument that is
   * neither a global option ({@code --json}, or one of {@link #VALUE_OPTIONS} with its value)
   * nor anything after {@code --}. A level stops at any other option (help, version, a
   * command's own option, a usage error) or at a name that is no command there; whatever it
   * names is then built whole, so picocli answers as with the whole tree.
   */
  static List<String> path(String[] args) {
    List<String> path = new ArrayList<>();
    Node node = TREE;
    for (int i = 0; i < args.length && !node.subcommands().isEmpty(); i++) {
      String a = args[i];
      if (a.equals("--")) {
        break;
      }
      if (VALUE_OPTIONS.contains(a)) {
        i++;
        continue;
      }
      if (a.equals("--json") || VALUE_OPTIONS.stream().anyMatch(o -> a.startsWith(o + "="))) {
        continue;
      }
      Optional<Node> sub = a.startsWith("-") ? Optional.empty() : node.sub(a);
      if (sub.isEmpty()) {
        break;
      }
      path.add(a);
      node = sub.get();
    }
    return path;
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
