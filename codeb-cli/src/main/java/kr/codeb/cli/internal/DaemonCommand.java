package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import kr.codeb.InvalidRequestException;
import kr.codeb.UnavailableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code we daemon start|stop|status|run}: a warm JVM that runs the user's {@code we} lines
 * (see {@link DaemonServer}). With a daemon running, {@code we deploy} takes what the library
 * call takes instead of paying a JVM start and cold code each time.
 */
@Command(
    name = "daemon", header = "A warm process that runs your we commands: start, stop, status.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"A warm process that runs your we commands: start, stop, status, run.",
        "While it runs, every we command of this build is handed to it (CODEB_DAEMON=off:",
        "never). It runs each line in your folder with your environment, as your user only."})
final class DaemonCommand implements Callable<Integer> {
  /** Variables the daemon process itself keeps; everything else (keys, tokens) stays out. */
  private static final List<String> KEPT_VARIABLES = List.of("PATH", "HOME", "USER", "LOGNAME",
      "LANG", "TZ", "TMPDIR", "XDG_RUNTIME_DIR", "XDG_CACHE_HOME", "JAVA_HOME",
      DaemonPaths.DIR_VARIABLE);

  private final Session session;

  DaemonCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    return session.missingSubcommand("we daemon");
  }

  static DaemonPaths paths(Session session) {
    DaemonPaths paths = DaemonPaths.of(session.env());
    if (paths == null) {
      throw new InvalidRequestException("no folder for the daemon's socket: set "
          + DaemonPaths.DIR_VARIABLE + ", XDG_RUNTIME_DIR or HOME");
    }
    return paths;
  }

  /** Prints a status answer as text or JSON; {@code running=false} when there is none. */
  static void print(Session session, String event, Optional<String> status, DaemonPaths paths) {
    if (session.json()) {
      ObjectNode root = session.jsonOutput().object();
      root.put("event", event).put("running", status.isPresent())
          .put("socket", paths.socket().toString());
      status.ifPresent(s -> s.lines().filter(l -> l.contains("=")).forEach(l -> {
        String key = l.substring(0, l.indexOf('='));
        String value = l.substring(l.indexOf('=') + 1);
        if (value.matches("\\d{1,18}")) {
          root.put(key, Long.parseLong(value));
        } else if (value.equals("true") || value.equals("false")) {
          root.put(key, Boolean.parseBoolean(value));
        } else if (!key.equals("socket")) {
          root.put(key, value);
        }
      }));
      session.printJson(root);
    } else if (status.isPresent()) {
      session.out().println(event + ": " + status.get().strip().replace('\n', ' '));
    } else if (event.equals("not running")) {
      session.out().println(event + ": no daemon runs for this build (socket " + paths.socket()
          + ")");
    } else {
      session.out().println(event + " (socket " + paths.socket() + ")");
    }
  }

  @Command(name = "start",
      header = "Start the daemon in the background (idempotent).",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "Start the daemon in the background (nothing to do if it runs already).")
  static final class Start implements Callable<Integer> {
    private final Session session;

    @Option(names = "--idle-timeout", converter = DurationConverter.class, defaultValue = "3h",
        description = "Stop after this long without a command (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--wait", converter = DurationConverter.class, defaultValue = "30s",
        description = {"How long to wait for it to answer and warm up (default:",
            "${DEFAULT-VALUE}); it takes lines as soon as it answers."})
    Duration wait;

    @Option(names = "--pool-idle", converter = DurationConverter.class, defaultValue = "60s",
        description = "Close a provider client (and drop the credentials it holds) after this"
            + " long unused (default: ${DEFAULT-VALUE}).")
    Duration poolIdle;

    Start(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
      Run.requirePositive(idleTimeout);
      if (poolIdle.isZero()) {
        throw new InvalidRequestException("--pool-idle must be more than 0 (e.g. 60s)");
      }
      DaemonPaths paths = paths(session);
      Optional<String> running = DaemonClient.status(paths);
      if (running.isPresent()) {
        print(session, "already running", running, paths);
        return 0;
      }
      paths.prepare();
      Process process = spawn(paths, idleTimeout, poolIdle);
      long deadline = System.nanoTime() + wait.toNanos();
      Optional<String> status = Optional.empty();
      while (System.nanoTime() < deadline && process.isAlive()) {
        status = DaemonClient.status(paths);
        // Answering is enough to take lines; warm means the first line does not pay for
        // loading the common commands' code either (a second or two after the start).
        if (status.isPresent() && status.get().contains("warm=true")) {
          break;
        }
        Thread.sleep(50);
      }
      if (status.isPresent()) {
        print(session, "started", status, paths);
        return 0;
      }
      throw new UnavailableException("the daemon did not answer within " + DurationConverter.human(wait)
          + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")")
          + "; see its log " + paths.log(), "daemon", 0, null);
    }
  }

  /** The daemon: this JVM's java and class path, run detached, its output to the log. */
  static Process spawn(DaemonPaths paths, Duration idleTimeout) throws IOException {
    return spawn(paths, idleTimeout, ProviderPool.IDLE_LIMIT);
  }

  /** The same, closing provider clients unused for {@code poolIdle}. */
  static Process spawn(DaemonPaths paths, Duration idleTimeout, Duration poolIdle)
      throws IOException {
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      command.add("/usr/bin/setsid"); // its own session: a closed terminal does not end it
    }
    command.add(ProcessHandle.current().info().command().orElse(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    for (String opt : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // The client's C1-only flag suits a one-second CLI, not a process that lives for hours.
      if (!opt.startsWith("-XX:TieredStopAtLevel") && !opt.startsWith("-agentlib")
          && !opt.startsWith("-javaagent")) {
        command.add(opt);
      }
    }
    command.addAll(List.of("-cp", absoluteClassPath(System.getProperty("java.class.path")),
        "kr.codeb.cli.Main", "daemon", "run", "--idle-timeout",
        idleTimeout.toSeconds() + "s", "--pool-idle", poolIdle.toMillis() + "ms"));
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> !KEPT_VARIABLES.contains(k) && !k.startsWith("LC_"));
    env.put(DaemonPaths.DIR_VARIABLE, paths.dir().toString());
    File log = paths.log().toFile();
    if (!log.exists()) {
      Files.createFile(paths.log(), PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
    }
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log));
    pb.redirectErrorStream(true);
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.directory(paths.dir().toFile());
    return pb.start();
  }

  /**
   * The class path with every entry absolute: the daemon runs in its own folder, where a
   * relative entry would name nothing (or other code, with another build key).
   */
  static String absoluteClassPath(String classPath) {
    StringBuilder b = new StringBuilder();
    for (String entry : classPath.split(File.pathSeparator, -1)) {
      if (b.length() > 0) {
        b.append(File.pathSeparator);
      }
      b.append(entry.isEmpty() ? entry : Path.of(entry).toAbsolutePath().normalize().toString());
    }
    return b.toString();
  }

  @Command(name = "stop",
      header = "Stop the daemon once its running commands end (idempotent).",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {"Stop the daemon: it takes no new command and ends once the running ones",
          "have finished. Idempotent."})
  static final class Stop implements Callable<Integer> {
    private final Session session;

    @Option(names = "--wait", converter = DurationConverter.class, defaultValue = "2m",
        description = "How long to wait for running commands to end (default: ${DEFAULT-VALUE}).")
    Duration wait;

    Stop(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() throws InterruptedException {
      DaemonPaths paths = paths(session);
      Optional<String> answer = DaemonClient.stop(paths);
      if (answer.isEmpty()) {
        print(session, "not running", Optional.empty(), paths);
        return 0;
      }
      long pid = Long.parseLong(answer.get().replaceAll("(?s).*pid (\\d+).*", "$1"));
      Optional<ProcessHandle> process = ProcessHandle.of(pid);
      long deadline = System.nanoTime() + wait.toNanos();
      while (process.map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      boolean ended = process.map(p -> !p.isAlive()).orElse(true);
      print(session, ended ? "stopped" : "stopping (commands still running)", Optional.empty(),
          paths);
      return ended ? 0 : 1;
    }
  }

  @Command(name = "status",
      header = "Show whether the daemon runs, and what it has served.",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "Show whether the daemon runs, its pid and what it has served (exit 1: none).")
  static final class Status implements Callable<Integer> {
    private final Session session;

    Status(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      DaemonPaths paths = paths(session);
      Optional<String> status = DaemonClient.status(paths);
      print(session, status.isPresent() ? "running" : "not running", status, paths);
      return status.isPresent() ? 0 : 1;
    }
  }

  @Command(name = "run",
      header = "Run the daemon in the foreground (for a service manager).",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {"Run the daemon in the foreground (what 'start' runs; for a service",
          "manager). Logs to stderr."})
  static final class Run implements Callable<Integer> {
    private final Session session;

    @Option(names = "--idle-timeout", converter = DurationConverter.class, defaultValue = "3h",
        description = "Stop after this long without a command (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--pool-idle", converter = DurationConverter.class, defaultValue = "60s",
        description = "Close a provider client (and drop the credentials it holds) after this"
            + " long unused (default: ${DEFAULT-VALUE}).")
    Duration poolIdle;

    Run(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      requirePositive(idleTimeout);
      PrintStream log = session.err();
      if (poolIdle.isZero()) {
        throw new InvalidRequestException("--pool-idle must be more than 0 (e.g. 60s)");
      }
      DaemonServer server = new DaemonServer(paths(session), idleTimeout, poolIdle,
          DaemonServer.STOP_GRACE, log);
      Thread warm = new Thread(() -> {
        warmUp();
        server.markWarm();
      }, "we-daemon-warm-up");
      warm.setDaemon(true);
      warm.setPriority(Thread.MIN_PRIORITY);
      warm.start();
      server.serve();
      return 0;
    }

    static void requirePositive(Duration idleTimeout) {
      if (idleTimeout.isZero()) {
        throw new InvalidRequestException("--idle-timeout must be more than 0 (e.g. 30m, 3h)");
      }
    }
  }

  /**
   * Runs the common commands once on the in-memory engines (the CDS training run), so the first
   * real command finds their code loaded and partly compiled. Failures only cost that head start.
   */
  private static void warmUp() {
    try {
      CdsTraining.warmUp();
    } catch (IOException | RuntimeException e) {
      // the warm-up is an optimisation; the daemon serves without it
    }
  }
}
