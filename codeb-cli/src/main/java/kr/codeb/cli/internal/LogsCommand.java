package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import kr.codeb.InvalidRequestException;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.ProjectContainers;
import kr.codeb.model.Slot;
import kr.codeb.runtime.LogLine;
import kr.codeb.runtime.LogQuery;
import kr.codeb.runtime.LogReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code we logs PROJECT --env ENV}: a slot container's logs, from whichever server runs it. */
@Command(
    name = "logs", header = "Show (or follow) the logs of a project's container.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Show the logs of the live slot's container (or of --slot blue|green) from",
        "the server that runs it: stdout lines on stdout, stderr lines on stderr. With",
        "--follow, new lines stream until Ctrl-C; following the live slot survives a deploy",
        "(the follow moves to the new live container and says so on stderr).",
        "With --json, one object per line: {\"slot\",\"stream\",\"text\"}."})
final class LogsCommand implements Callable<Integer> {
  private final Session session;

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

  @Option(names = {"-f", "--follow"}, description = "Keep streaming new lines until Ctrl-C.")
  boolean follow;

  @Option(names = "--since", paramLabel = "WHEN",
      description = "Only lines since a time ago (10m, 2h, 30s) or an instant"
          + " (2026-12-05T06:00:00Z).")
  String since;

  @Option(names = "--tail", paramLabel = "N",
      description = "Only the last N lines (before following).")
  Integer tail;

  LogsCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    DeployKey key = target.key();
    Optional<Slot> chosen = slotOption(slot);
    LogQuery query = new LogQuery(tail == null ? OptionalInt.empty() : OptionalInt.of(tail),
        Optional.ofNullable(since).map(LogsCommand::since), follow);
    PrintStream out = session.out();
    PrintStream err = session.err();
    try (DeployProviders providers = DeployProviders.forDeploy(session, key)) {
      ProjectContainers containers = new ProjectContainers(
          providers.contextOn(Optional.ofNullable(server)));
      String[] current = {chosen.map(Slot::id).orElse(null)};
      try (LogReader reader = containers.logs(key, chosen, Optional.ofNullable(process), query,
          note -> {
        session.progress(key + ": " + note.message());
        note.following().ifPresent(s -> current[0] = s.id());
      })) {
        if (current[0] == null) {
          current[0] = containers.target(key, chosen, Optional.ofNullable(process)).slot()
              .id();
        }
        for (Optional<LogLine> l = reader.next(); l.isPresent(); l = reader.next()) {
          LogLine line = l.get();
          if (session.json()) {
            ObjectNode n = session.jsonOutput().object();
            n.put("slot", current[0]);
            n.put("stream", line.source().name().toLowerCase(Locale.ROOT));
            n.put("text", line.text());
            session.printJson(n);
          } else if (line.source() == LogLine.Source.STDERR) {
            err.println(line.text());
          } else {
            out.println(line.text());
          }
        }
      }
    }
    out.flush();
    return 0;
  }

  /** {@code live} (empty), {@code blue} or {@code green}. */
  static Optional<Slot> slotOption(String value) {
    if ("live".equals(value)) {
      return Optional.empty();
    }
    if (!"blue".equals(value) && !"green".equals(value)) {
      throw new InvalidRequestException("unknown slot " + kr.codeb.Checks.quote(value)
          + ": allowed are blue, green, live");
    }
    return Optional.of(Slot.parse(value));
  }

  /** {@code 10m} ago, or an RFC 3339 instant. */
  static Instant since(String value) {
    String text = value.strip();
    if (!text.isEmpty() && Character.isDigit(text.charAt(text.length() - 1)) && !text.equals("0")
        || text.contains("T")) {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        throw badSince(value);
      }
    }
    try {
      Duration ago = DurationConverter.parse(text);
      return Instant.now().minus(ago);
    } catch (RuntimeException e) {
      throw badSince(value);
    }
  }

  private static InvalidRequestException badSince(String value) {
    return new InvalidRequestException("invalid --since " + kr.codeb.Checks.quote(value)
        + ": use a time ago (a whole number and ms, s, m or h, e.g. 10m) or an instant"
        + " (e.g. 2026-12-05T06:00:00Z)");
  }
}
