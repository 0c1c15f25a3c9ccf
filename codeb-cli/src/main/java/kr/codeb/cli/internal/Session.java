package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;
import kr.codeb.Checks;
import kr.codeb.CodeBException;
import kr.codeb.InputFiles;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderRegistry;
import kr.codeb.ports.SsotStore;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;

/**
 * What every command of one run shares: the streams, the environment, the global options, and
 * the lazily loaded config, provider URIs and JSON writer. Nothing is loaded that the command
 * does not use: no YAML without a config file, no Jackson without JSON output.
 */
final class Session {
  static final String CONFIG_VARIABLE = "CODEB_CONFIG";

  private final PrintStream out;
  private final PrintStream err;
  private final UnaryOperator<String> env;
  private final Path workDir;
  private final ProviderPool.Scope pool;
  private final boolean jsonOnCommandLine;
  private final GlobalOptions options = new GlobalOptions();
  private JsonOutput jsonOutput;
  private CliConfig config;

  Session(PrintStream out, PrintStream err, UnaryOperator<String> env, Path workDir,
      boolean jsonOnCommandLine) {
    this(out, err, env, workDir, null, jsonOnCommandLine);
  }

  /** With the daemon's pool of warm providers ({@code null}: open and close them per command). */
  Session(PrintStream out, PrintStream err, UnaryOperator<String> env, Path workDir,
      ProviderPool.Scope pool, boolean jsonOnCommandLine) {
    this.out = out;
    this.err = err;
    this.env = env;
    this.workDir = workDir;
    this.pool = pool;
    this.jsonOnCommandLine = jsonOnCommandLine;
  }

  GlobalOptions options() {
    return options;
  }

  PrintStream out() {
    return out;
  }

  /** Progress and notes for people: always stderr, never mixed into the results. */
  void progress(String line) {
    err.println(line);
  }

  /** Where progress and errors go. */
  PrintStream err() {
    return err;
  }

  /**
   * Whether stderr is a terminal (then progress may redraw one line): only when it is the
   * process's own stderr and the JVM has a console.
   */
  boolean errIsTerminal() {
    return err == System.err && System.console() != null;
  }

  /**
   * Asks a yes/no {@code question} on the terminal ({@code [y/N]} is added). Empty when there is
   * no terminal to ask on; any answer but {@code y} is no.
   */
  Optional<Boolean> askYesNo(String question) {
    if (!errIsTerminal()) {
      return Optional.empty();
    }
    String answer = System.console().readLine("%s [y/N] ", question);
    return Optional.of(answer != null && answer.strip().equalsIgnoreCase("y"));
  }

  /** An environment variable of this run, or null when unset or blank. */
  String variable(String name) {
    return nonBlank(env.apply(name));
  }

  boolean json() {
    return options.json || jsonOnCommandLine;
  }

  JsonOutput jsonOutput() {
    if (jsonOutput == null) {
      jsonOutput = new JsonOutput();
    }
    return jsonOutput;
  }

  /** Prints one JSON document (and a newline) on stdout. */
  void printJson(ObjectNode node) {
    out.println(jsonOutput().write(node));
  }

  /** The config file from {@code --config} or {@code CODEB_CONFIG}, loaded on first use. */
  CliConfig config() {
    if (config == null) {
      String file = options.config != null ? options.config : nonBlank(env.apply(CONFIG_VARIABLE));
      config = file == null ? CliConfig.EMPTY : ConfigLoader.load(configPath(file));
    }
    return config;
  }

  private Path configPath(String file) {
    try {
      return workDir.resolve(file);
    } catch (java.nio.file.InvalidPathException e) {
      throw new InvalidRequestException("config file " + Checks.quote(file) + " is not a usable"
          + " path (" + e.getReason() + ")");
    }
  }

  /** A path from the command line, relative to the folder the line was typed in. */
  Path path(Path given) {
    return workDir.resolve(given);
  }

  ProviderUris providers() {
    return ProviderUris.resolve(options, env, config()).resolvedAgainst(workDir);
  }

  /** The daemon's providers kept between commands, or null outside the daemon. */
  ProviderPool.Scope pool() {
    return pool;
  }

  /** The environment of this run (the client's, when the daemon runs the line). */
  UnaryOperator<String> env() {
    return env;
  }

  /** Opens the SSOT store the options, environment and config name; the caller closes it. */
  SsotStore openSsot() {
    return registry().ssotStore(providers().ssot());
  }

  /** The provider registry, reading this run's environment. */
  ProviderRegistry registry() {
    return ProviderRegistry.load(env);
  }

  int missingSubcommand(String command) {
    return error(CommandLine.ExitCode.USAGE, "invalid-request",
        "'" + command + "' needs a subcommand; see '" + command + " --help'");
  }

  /** Usage errors from picocli: unknown options, missing parameters, bad values. */
  int usageError(ParameterException ex) {
    return usageError(ex, new String[0]);
  }

  /**
   * The same, knowing the line's arguments: an argument that starts with '-' but is no option
   * of the command (a domain such as {@code -a.example.test}) is what picocli reports as a
   * missing parameter or an unknown option; the message then says what happened to it.
   */
  int usageError(ParameterException ex, String[] args) {
    CommandLine.Model.CommandSpec spec = ex.getCommandLine().getCommandSpec();
    String command = spec.qualifiedName();
    String message = InputFiles.shown(String.valueOf(ex.getMessage()));
    // Only where picocli lost the argument: a bad value of a known option ("--drain -5s") is
    // reported by picocli as what it is.
    boolean lost = ex instanceof CommandLine.MissingParameterException
        || ex instanceof CommandLine.UnmatchedArgumentException;
    Optional<String> dashed = lost ? dashedNonOption(spec, args) : Optional.empty();
    if (dashed.isPresent()) {
      message = Checks.quote(dashed.get()) + " is not an option of '" + command + "', and a"
          + " name or value cannot start with '-' (names start with a letter or digit); to"
          + " pass a value that does start with '-', put it last, after '--' (every option"
          + " before the '--')";
    }
    return error(CommandLine.ExitCode.USAGE, "invalid-request",
        message + (json() ? "" : "\n(see '" + command + " --help')"));
  }

  /**
   * The first argument before '--' that starts with a single '-' but names no option of the
   * command.
   */
  private static Optional<String> dashedNonOption(CommandLine.Model.CommandSpec spec,
      String[] args) {
    for (String arg : args) {
      if (arg.equals("--")) {
        break;
      }
      if (arg.length() < 2 || !arg.startsWith("-") || arg.startsWith("--")) {
        continue; // a long option picocli does not know is named well by picocli itself
      }
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      // Global options are inherited: every command's spec has them.
      boolean known = spec.findOption(name) != null;
      if (!known) {
        return Optional.of(arg);
      }
    }
    return Optional.empty();
  }

  /** Maps what a command threw to an exit code and an error message on stderr. */
  int failure(Exception ex) {
    if (ex instanceof InvalidRequestException e) {
      return error(2, e.kind(), e.getMessage());
    }
    if (ex instanceof CodeBException e) {
      return error(1, e.kind(), e.getMessage());
    }
    if (ex instanceof ParameterException e) {
      return usageError(e);
    }
    // Not an answer CodeB gives on purpose: a bug. Its message is printed (without the Java
    // class, which says nothing to a person) so that it can be reported.
    return error(1, "internal", "an unexpected internal error"
        + (ex.getMessage() == null ? "" : ": " + InputFiles.shown(ex.getMessage()))
        + " (please report it; nothing more is known here)");
  }

  private int error(int code, String kind, String message) {
    if (json()) {
      ObjectNode root = jsonOutput().object();
      root.putObject("error").put("kind", kind).put("message", message);
      err.println(jsonOutput().write(root));
    } else {
      err.println("we: error: " + message);
    }
    return code;
  }

  static String nonBlank(String value) {
    return Optional.ofNullable(value).filter(v -> !v.isBlank()).orElse(null);
  }
}
