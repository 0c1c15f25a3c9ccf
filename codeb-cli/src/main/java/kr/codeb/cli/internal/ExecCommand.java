package kr.codeb.cli.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import kr.codeb.InvalidRequestException;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.ProjectContainers;
import kr.codeb.model.Slot;
import kr.codeb.runtime.ExecIo;
import kr.codeb.runtime.ExecRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code we exec PROJECT --env ENV -- COMMAND ARGS...}: a command in a running slot container. */
@Command(
    name = "exec", header = "Run a command in a project's running container.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Run COMMAND in the live slot's container (or --slot blue|green) on the",
        "server that runs it, passing stdout and stderr through; with -i also stdin. The exit",
        "status is the command's (126/127: it could not be started). The command is never",
        "printed or logged. -t allocates a terminal (needs one here; implies -i)."})
final class ExecCommand implements Callable<Integer> {
  private final Session session;
  private final InputStream stdin;

  @Mixin ProjectEnvOptions target;

  @Option(names = "--slot", paramLabel = "SLOT", defaultValue = "live",
      description = "blue, green or live (default: live).")
  String slot;

  @Option(names = "--server", paramLabel = "NAME",
      description = "The app server, for a project on several (app1).")
  String server;

  @Option(names = "--process", paramLabel = "NAME[-N]",
      description = "web (the default), a worker's name (its first container) or NAME-N.")
  String process;

  @Option(names = {"-i", "--interactive"}, description = "Pass this terminal's stdin through.")
  boolean interactive;

  @Option(names = {"-t", "--tty"}, description = "Allocate a terminal for the command.")
  boolean tty;

  @Parameters(index = "1..*", paramLabel = "COMMAND",
      description = "The command and its arguments, after --.")
  List<String> command;

  ExecCommand(Session session) {
    this(session, System.in);
  }

  ExecCommand(Session session, InputStream stdin) {
    this.session = session;
    this.stdin = stdin;
  }

  @Override
  public Integer call() {
    DeployKey key = target.key();
    Optional<Slot> chosen = LogsCommand.slotOption(slot);
    if (command == null || command.isEmpty()) {
      throw new InvalidRequestException("no command given: put it after --, e.g. we exec "
          + key.project() + " --env " + key.environment() + " -- sh -c 'echo hi'");
    }
    if (tty && System.console() == null) {
      throw new InvalidRequestException("-t needs a terminal, and this one's input or output is"
          + " not one: leave out -t (use -i to pass input)");
    }
    ExecRequest request = new ExecRequest(command, interactive || tty, tty);
    try (DeployProviders providers = DeployProviders.forDeploy(session, key)) {
      ProjectContainers containers = new ProjectContainers(
          providers.contextOn(Optional.ofNullable(server)));
      boolean raw = tty && terminalMode("raw", "-echo");
      try {
        return containers.exec(key, chosen, Optional.ofNullable(process), request,
            new ExecIo(stdin, session.out(),
            session.err()));
      } finally {
        session.out().flush();
        if (raw) {
          terminalMode("sane");
        }
      }
    }
  }

  /** Sets this terminal's mode with stty; false if that did not work (the mode is unchanged). */
  private static boolean terminalMode(String... settings) {
    File tty = new File("/dev/tty");
    if (!tty.exists()) {
      return false;
    }
    List<String> cmd = new java.util.ArrayList<>(List.of("stty"));
    cmd.addAll(List.of(settings));
    try {
      Process p = new ProcessBuilder(cmd).redirectInput(tty).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
