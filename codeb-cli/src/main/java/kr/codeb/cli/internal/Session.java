package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;
import kr.codeb.CodeBException;
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
      config = file == null ? CliConfig.EMPTY : ConfigLoader.load(workDir.resolve(file));
    }
    return config;
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
    String command = ex.getCommandLine().getCommandSpec().qualifiedName();
    return error(CommandLine.ExitCode.USAGE, "invalid-request",
        ex.getMessage() + (json() ? "" : "\n(see '" + command + " --help')"));
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
    String message = ex.getClass().getName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
    return error(1, "internal", message);
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
