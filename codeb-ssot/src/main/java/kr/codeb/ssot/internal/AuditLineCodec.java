package kr.codeb.ssot.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import kr.codeb.CodeBException;
import kr.codeb.InvalidRequestException;
import kr.codeb.audit.AuditEntry;
import kr.codeb.model.ProjectName;

/**
 * One audit entry as one line of JSON: {@code {"time":..,"actor":..,"command":..,"provider":..,
 * "target":..,"action":..,"project":..,"before":<json>,"after":<json>}}, {@code project}
 * left out when the entry has none. {@code before} and {@code after} are JSON values, not
 * strings holding JSON.
 */
public final class AuditLineCodec {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AuditLineCodec() {}

  /** The entry's line, with its trailing newline, as UTF-8. */
  public static byte[] line(AuditEntry entry) {
    ObjectNode node = JSON.createObjectNode();
    node.put("time", entry.time().toString());
    node.put("actor", entry.actor());
    node.put("command", entry.command());
    node.put("provider", entry.provider());
    node.put("target", entry.target());
    node.put("action", entry.action());
    entry.project().ifPresent(p -> node.put("project", p.value()));
    node.set("before", value("before", entry.before()));
    node.set("after", value("after", entry.after()));
    try {
      return (JSON.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always serialises", e);
    }
  }

  /**
   * The entry of one line.
   *
   * @param where how a message names the line ({@code <file>, line 7})
   * @throws InvalidRequestException if the line is not an entry (naming {@code where} only)
   */
  public static AuditEntry entry(String line, String where) {
    try {
      JsonNode node = JSON.readTree(line);
      if (!(node instanceof ObjectNode o)) {
        throw bad(where, "not a JSON object");
      }
      Optional<ProjectName> project = o.hasNonNull("project")
          ? Optional.of(ProjectName.of(o.get("project").asText())) : Optional.empty();
      return new AuditEntry(Instant.parse(text(o, "time", where)), text(o, "actor", where),
          text(o, "command", where), text(o, "provider", where), text(o, "target", where),
          text(o, "action", where), project, json(o, "before", where), json(o, "after", where));
    } catch (JsonProcessingException e) {
      throw bad(where, "not valid JSON");
    } catch (DateTimeParseException e) {
      throw bad(where, "time is not an ISO-8601 instant");
    } catch (InvalidRequestException e) {
      throw e.getMessage().startsWith(where) ? e : bad(where, "a field is not valid");
    } catch (CodeBException | NullPointerException e) {
      throw bad(where, "a field is not valid");
    }
  }

  /** A JSON text as a tree, refusing what is not JSON (a store's bug, not input). */
  private static JsonNode value(String what, String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("an audit entry's " + what + " is not JSON");
    }
  }

  private static String text(ObjectNode o, String field, String where) {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual()) {
      throw bad(where, "no text field " + field);
    }
    return v.asText();
  }

  private static String json(ObjectNode o, String field, String where) {
    JsonNode v = o.get(field);
    if (v == null) {
      throw bad(where, "no field " + field);
    }
    return v.toString();
  }

  private static InvalidRequestException bad(String where, String problem) {
    return new InvalidRequestException(where + ": not an audit entry (" + problem + ")");
  }
}
