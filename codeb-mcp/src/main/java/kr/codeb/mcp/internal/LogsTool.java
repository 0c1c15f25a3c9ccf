package kr.codeb.mcp.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.codeb.InvalidRequestException;
import kr.codeb.cli.internal.DeployWork;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.ProjectContainers;
import kr.codeb.model.Slot;
import kr.codeb.runtime.LogLine;
import kr.codeb.runtime.LogQuery;
import kr.codeb.runtime.LogReader;

/**
 * {@code logs}: {@code we logs} without {@code --follow}: the last lines of a slot's container,
 * bounded by line count, time and size, so that one call always ends.
 */
final class LogsTool extends CodeBTool {
  static final int DEFAULT_TAIL = 100;
  static final int MAX_TAIL = 1000;
  /** The most text one answer carries; older lines beyond it are left out. */
  static final int MAX_CHARS = 256 * 1024;
  private static final Pattern AGO = Pattern.compile("(\\d{1,9})(s|m|h)");
  private static final String SINCE_ALLOWED = "a time ago (a whole number and s, m or h, such"
      + " as 10m) or an instant such as 2026-12-05T06:00:00Z";

  @Override
  String name() {
    return "logs";
  }

  @Override
  String title() {
    return "Read a slot container's last log lines";
  }

  @Override
  String description() {
    return "Read the last lines (default " + DEFAULT_TAIL + ", at most " + MAX_TAIL + ") that"
        + " the live slot's container (or the blue or green one) wrote, optionally only those"
        + " since a time, from whichever server runs it. Never follows: the call ends with the"
        + " lines stored now. Lines are as the app wrote them. Reads only. Needs the SSOT"
        + " store, the container runtime and the reverse proxy.";
  }

  @Override
  Effect effect() {
    return Effect.READ_ONLY;
  }

  @Override
  Schema input() {
    return Fields.projectEnvironment(Schema.input())
        .stringEnum("slot", "Which slot's container: live (default), blue or green.", false,
            List.of("live", "blue", "green"))
        .integer("tail", "How many of the last lines (default " + DEFAULT_TAIL + ").", false, 0,
            MAX_TAIL)
        .string("since", "Only lines written since then: " + SINCE_ALLOWED + ".", false);
  }

  @Override
  Schema output() {
    return Fields.keyOut(Schema.output())
        .out("slot", "The slot whose container was read: blue or green.", "string")
        .out("lines", "The lines, oldest first: {stream (stdout or stderr), text}.", "array")
        .out("truncated", "Whether older lines were left out to keep the answer under "
            + MAX_CHARS / 1024 + " KiB.", "boolean");
  }

  @Override
  Result call(Params params, ToolCall call) {
    DeployKey key = Fields.key(params);
    Optional<Slot> slot = params.oneOf("slot", List.of("live", "blue", "green"))
        .filter(s -> !s.equals("live")).map(Slot::parse);
    int tail = (int) params.integer("tail", DEFAULT_TAIL, 0, MAX_TAIL);
    Optional<Instant> since = params.optionalString("since", SINCE_ALLOWED)
        .map(v -> Params.checked("since", v, LogsTool::since));
    LogQuery query = new LogQuery(OptionalInt.of(tail), since, false);
    ObjectNode n = call.json().key(key);
    ArrayNode lines = n.arrayNode();
    java.util.ArrayDeque<LogLine> kept = new java.util.ArrayDeque<>();
    int chars = 0;
    boolean truncated = false;
    Slot read;
    try (DeployWork work = call.services().openDeploy(key)) {
      ProjectContainers containers = work.containers();
      read = containers.target(key, slot).slot();
      try (LogReader reader = containers.logs(key, Optional.of(read), query, note -> { })) {
        for (Optional<LogLine> l = reader.next(); l.isPresent(); l = reader.next()) {
          kept.addLast(l.get());
          chars += l.get().text().length();
          while (chars > MAX_CHARS && !kept.isEmpty()) {
            chars -= kept.removeFirst().text().length();
            truncated = true;
          }
        }
      }
    }
    for (LogLine line : kept) {
      ObjectNode o = lines.addObject();
      o.put("stream", line.source().name().toLowerCase(Locale.ROOT));
      o.put("text", line.text());
    }
    n.put("slot", read.id());
    n.set("lines", lines);
    n.put("truncated", truncated);
    return new Result(n, key + ": " + kept.size() + " line(s) of the " + read + " container"
        + (truncated ? " (older lines left out)" : ""));
  }

  /** {@code 10m} ago, or an instant. */
  static Instant since(String value) {
    Matcher m = AGO.matcher(value.strip());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration ago = switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
      return Instant.now().minus(ago);
    }
    try {
      return Instant.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException("since: " + kr.codeb.Checks.quote(value)
          + " is not " + SINCE_ALLOWED);
    }
  }
}
