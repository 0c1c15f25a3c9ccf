package kr.codeb.cli.internal;

/**
 * A subcommand of {@code we} that another module contributes, found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/kr.codeb.cli.internal.CliExtension}),
 * so that codeb-cli never imports it: {@code we mcp} comes from codeb-mcp this way. It lives in
 * this internal package because only the modules it is exported to (ArchitectureTest) may
 * implement it.
 *
 * <p>Extensions are looked up only for a line that names no built-in command (so a built-in
 * command pays nothing for them), and such a line always runs in its own JVM, never on the
 * {@code we} daemon: an extension may read standard input and run for as long as its client
 * keeps it.
 */
public interface CliExtension {
  /** The subcommand's name, e.g. {@code mcp}; it must not be a built-in command's name. */
  String name();

  /**
   * The picocli command object ({@code @Command}-annotated, whose {@code call()} returns the
   * exit code) for one line. The global options ({@code --config}, {@code --ssot}, ...) are
   * inherited as by every built-in command; {@code services} sees their values once the line is
   * parsed.
   */
  Object command(CliServices services);
}
