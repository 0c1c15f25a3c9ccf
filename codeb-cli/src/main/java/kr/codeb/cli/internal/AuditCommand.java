package kr.codeb.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.audit.AuditEntry;
import kr.codeb.audit.AuditLog;
import kr.codeb.audit.AuditQuery;
import kr.codeb.model.ProjectName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code we audit [--since WHEN] [--project NAME] [--limit N] [--json]}: the changes CodeB
 * recorded in the audit log of the SSOT ({@code <ssot>.audit.jsonl} beside a file, the
 * {@code audit_log} table of a postgresql:// store), oldest first.
 */
@Command(
    name = "audit", header = "Show the changes CodeB made, from the audit log of the SSOT.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Show the changes CodeB recorded, oldest first: time, actor, command,",
        "provider, target, action, and the target's state before and after.",
        "The log is the one of the SSOT (--ssot): <file>.audit.jsonl beside a file, the",
        "audit_log table of a postgresql:// database. With an http(s):// SSOT, its server",
        "keeps the SSOT edits and this machine's changes go to CODEB_AUDIT_LOG, else",
        "$XDG_STATE_HOME/codeb/audit.jsonl (~/.local/state/codeb/audit.jsonl).",
        "Recorded: SSOT edits (allocate, release, repair, migrate), containers, routes,",
        "DNS zones and records, firewall rules, databases and env files (key names only)."})
final class AuditCommand implements Callable<Integer> {
  private final Session session;

  @Option(names = "--since", paramLabel = "WHEN",
      description = "Only entries at or after WHEN: an ISO-8601 instant"
          + " (2026-12-04T10:00:00Z) or a time ago (30m, 2h, 7d).")
  String since;

  @Option(names = "--project", paramLabel = "NAME", description = "Only entries of a project.")
  String project;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "1000",
      description = "At most the N newest entries (default ${DEFAULT-VALUE}).")
  int limit;

  AuditCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    AuditQuery query = new AuditQuery(since(), Optional.ofNullable(project).map(ProjectName::of),
        limit);
    List<AuditEntry> entries;
    String location;
    try (AuditLog log = CommandAudit.open(session)) {
      entries = log.read(query);
      location = log.info().location();
    }
    if (session.json()) {
      ObjectNode root = session.jsonOutput().object();
      root.put("log", location);
      ArrayNode array = root.putArray("entries");
      ObjectMapper mapper = new ObjectMapper();
      for (AuditEntry e : entries) {
        ObjectNode n = array.addObject();
        n.put("time", e.time().toString());
        n.put("actor", e.actor());
        n.put("command", e.command());
        n.put("provider", e.provider());
        n.put("target", e.target());
        n.put("action", e.action());
        e.project().ifPresent(p -> n.put("project", p.value()));
        n.set("before", tree(mapper, e.before()));
        n.set("after", tree(mapper, e.after()));
      }
      session.printJson(root);
    } else if (entries.isEmpty()) {
      session.out().println("no audit entries" + (query.since().isPresent()
          || query.project().isPresent() ? " match" : " yet") + " (" + location + ")");
    } else {
      for (AuditEntry e : entries) {
        session.out().println(e.time() + "  " + e.actor() + "  " + e.command() + "  "
            + e.provider() + "  " + e.action() + " " + e.target() + "  " + e.before() + " -> "
            + e.after());
      }
    }
    return 0;
  }

  private static com.fasterxml.jackson.databind.JsonNode tree(ObjectMapper mapper, String json) {
    try {
      return mapper.readTree(json);
    } catch (JsonProcessingException e) {
      return mapper.getNodeFactory().textNode(json);
    }
  }

  private Optional<Instant> since() {
    if (since == null) {
      return Optional.empty();
    }
    String text = since.strip();
    if (text.matches("\\d{1,9}d")) {
      return Optional.of(Instant.now().minus(java.time.Duration.ofDays(
          Long.parseLong(text.substring(0, text.length() - 1)))));
    }
    if (text.matches("\\d{1,9}(ms|s|m|h)")) {
      return Optional.of(Instant.now().minus(DurationConverter.parse(text)));
    }
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException("--since " + Checks.quote(since) + " is neither an"
          + " ISO-8601 instant (2026-12-04T10:00:00Z) nor a time ago (30m, 2h, 7d)");
    }
  }
}
