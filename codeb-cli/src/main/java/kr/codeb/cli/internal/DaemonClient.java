package kr.codeb.cli.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import kr.codeb.InputFiles;

/**
 * The client side of the {@code we} daemon ({@link DaemonServer}): hands a command line to a
 * running daemon of the same code, or says there is none, so {@code we} runs the line itself.
 *
 * <p>The line goes to the daemon only when one answers on this code's socket and its folder is
 * safe; {@code CODEB_DAEMON=off}, the {@code daemon} commands themselves and the commands of
 * extensions ({@link CliExtension}) always run locally.
 * Finding no daemon costs one file check.
 */
public final class DaemonClient {
  /**
   * {@code off}: never hand a line to the daemon; {@code auto}: also start one in the
   * background when none runs (that line still runs locally); unset: use one if it runs.
   */
  public static final String SWITCH_VARIABLE = "CODEB_DAEMON";
  /** Idle timeout of a daemon that {@code CODEB_DAEMON=auto} started. */
  static final Duration AUTO_IDLE_TIMEOUT = Duration.ofHours(3);

  private DaemonClient() {}

  /**
   * Runs the line on the daemon, with this process's folder and environment, copying its output
   * to {@code out} and {@code err}.
   *
   * @return the exit code, or empty when no daemon took the line (then run it locally)
   */
  public static OptionalInt tryRun(String[] args, Map<String, String> env, OutputStream out,
      OutputStream err) {
    return tryRun(args, env, Path.of("").toAbsolutePath(), out, err);
  }

  /** The same with the folder the line's relative paths mean. */
  static OptionalInt tryRun(String[] args, Map<String, String> env, Path workDir,
      OutputStream out, OutputStream err) {
    if ("off".equalsIgnoreCase(String.valueOf(env.get(SWITCH_VARIABLE))) || runsLocally(args)) {
      return OptionalInt.empty();
    }
    DaemonPaths paths = paths(env);
    if (paths == null || !Files.exists(paths.socket()) || paths.unsafe() != null) {
      return OptionalInt.empty();
    }
    SocketChannel channel = connect(paths.socket());
    if (channel == null) {
      return OptionalInt.empty(); // a socket left by a daemon that was killed
    }
    try (channel) {
      DataOutputStream request = new DataOutputStream(
          new BufferedOutputStream(Channels.newOutputStream(channel)));
      DaemonProtocol.writeRequest(request, new DaemonProtocol.Request(DaemonProtocol.RUN,
          workDir, List.of(args), env));
      DataInputStream answer = new DataInputStream(
          new BufferedInputStream(Channels.newInputStream(channel)));
      return OptionalInt.of(DaemonProtocol.readAnswer(answer, out, err, new StringBuilder()));
    } catch (EOFException e) {
      // The line may have run in part (a deploy half-way): running it again could do it twice.
      lost(err, "the daemon stopped before the command finished; its outcome is unknown"
          + " (check with 'we slot' or 'we ssot show')");
      return OptionalInt.of(1);
    } catch (IOException e) {
      lost(err, "lost the connection to the daemon (" + InputFiles.reason(e) + "); the command's"
          + " outcome is unknown (check with 'we slot' or 'we ssot show')");
      return OptionalInt.of(1);
    }
  }

  /**
   * With {@code CODEB_DAEMON=auto}, starts a daemon in the background for the next lines, after
   * {@link #tryRun} found none; it does not wait for it. Quiet: when it cannot start (a folder
   * others may enter, another one starting at the same moment) lines simply run locally.
   */
  public static void startIfAuto(String[] args, Map<String, String> env) {
    if (!"auto".equalsIgnoreCase(String.valueOf(env.get(SWITCH_VARIABLE))) || runsLocally(args)) {
      return;
    }
    DaemonPaths paths = paths(env);
    if (paths == null) {
      return;
    }
    try {
      paths.prepare();
      DaemonCommand.spawn(paths, AUTO_IDLE_TIMEOUT);
    } catch (IOException | RuntimeException e) {
      // not started: this and later lines run in their own JVM, as without the daemon
    }
  }

  /** The daemon's paths for this environment (no lambda: see {@link DaemonPaths#of}). */
  private static DaemonPaths paths(Map<String, String> env) {
    return DaemonPaths.of(env.get(DaemonPaths.DIR_VARIABLE), env.get("XDG_RUNTIME_DIR"),
        env.get("HOME"));
  }

  /** The daemon's status lines, or empty when none answers on the paths' socket. */
  static Optional<String> status(DaemonPaths paths) {
    return control(paths, DaemonProtocol.STATUS);
  }

  /** Asks the daemon to stop; empty when none answers. */
  static Optional<String> stop(DaemonPaths paths) {
    return control(paths, DaemonProtocol.STOP);
  }

  private static Optional<String> control(DaemonPaths paths, byte kind) {
    if (!Files.exists(paths.socket())) {
      return Optional.empty();
    }
    SocketChannel channel = connect(paths.socket());
    if (channel == null) {
      return Optional.empty();
    }
    try (channel) {
      DataOutputStream request = new DataOutputStream(Channels.newOutputStream(channel));
      DaemonProtocol.writeRequest(request, DaemonProtocol.Request.control(kind));
      StringBuilder text = new StringBuilder();
      OutputStream none = OutputStream.nullOutputStream();
      int code = DaemonProtocol.readAnswer(new DataInputStream(Channels.newInputStream(channel)),
          none, none, text);
      return code == 0 ? Optional.of(text.toString()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static SocketChannel connect(Path socket) {
    SocketChannel channel = null;
    try {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(socket));
      return channel;
    } catch (IOException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // nothing was sent; the caller runs the line itself
        }
      }
      return null;
    }
  }

  /**
   * Whether the line always runs locally: the daemon's own commands, {@code --version} alone,
   * whose local fast path is quicker than the round trip, and {@code we env set}, which may
   * read standard input.
   */
  private static boolean runsLocally(String[] args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      return true;
    }
    if (Cli.namesExtension(args)) {
      // An extension's command (we mcp) reads standard input and runs as long as its client
      // does: the daemon's line protocol carries neither.
      return true;
    }
    for (String a : args) {
      if (a.equals("--")) {
        return false;
      }
      // exec passes this terminal's stdin; logs --follow streams until Ctrl-C: the daemon's
      // line protocol carries neither.
      if (a.equals("daemon") || a.equals("exec") || a.equals("logs")) {
        return true;
      }
    }
    // `we env set` may read a value from this process's standard input (or its terminal).
    return Cli.path(args).equals(List.of("env", "set"));
  }

  private static void lost(OutputStream err, String message) {
    PrintStream p = new PrintStream(err, true);
    p.println("we: error: " + message);
  }
}
