package kr.codeb.cli;

import java.io.PrintStream;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import kr.codeb.cli.internal.Cli;
import kr.codeb.cli.internal.DaemonClient;

/**
 * The {@code we} command line. {@link #main} runs it against the process's streams and
 * environment and exits with its code; {@link #run} does the same in-process, for tests and
 * embedding programs.
 *
 * <p>Exit codes: 0 success, 1 the operation found problems or failed, 2 bad input or usage.
 */
public final class Main {
  private Main() {}

  /**
   * Hands the line to a running {@code we} daemon of this build if there is one (see
   * {@code we daemon --help}; {@code CODEB_DAEMON=off} never does), else runs it here, and
   * with {@code CODEB_DAEMON=auto} starts a daemon for the next lines.
   */
  public static void main(String[] args) {
    OptionalInt viaDaemon = DaemonClient.tryRun(args, System.getenv(), System.out, System.err);
    if (viaDaemon.isPresent()) {
      System.exit(viaDaemon.getAsInt());
    }
    DaemonClient.startIfAuto(args, System.getenv());
    System.exit(run(args, System.out, System.err, System::getenv));
  }

  /**
   * Runs one command line.
   *
   * @param args the arguments, without the program name
   * @param out where results go ({@code --json}: one JSON document)
   * @param err where progress and errors go
   * @param env the environment variables to consult ({@code CODEB_SSOT}, {@code CODEB_CONFIG}, ...)
   * @return the exit code
   */
  public static int run(String[] args, PrintStream out, PrintStream err, UnaryOperator<String> env) {
    return Cli.run(args, out, err, env);
  }
}
