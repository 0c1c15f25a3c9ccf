package kr.codeb.init.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kr.codeb.CodeBException;
import kr.codeb.InvalidRequestException;
import kr.codeb.init.InitJournal.Journal;
import kr.codeb.init.InitJournal.StepRecord;

/** The journal's JSON form (version 1). */
public final class JournalCodec {
  static final int VERSION = 1;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JournalCodec() {}

  public static byte[] encode(Journal j) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("version", VERSION);
    root.put("project", j.project());
    root.put("environment", j.environment());
    root.put("domain", j.domain());
    ArrayNode steps = root.putArray("steps");
    for (StepRecord s : j.steps()) {
      ObjectNode n = steps.addObject();
      n.put("step", s.step());
      n.put("status", s.status());
      n.put("at", s.at().toString());
      ArrayNode created = n.putArray("created");
      s.created().forEach(created::add);
      s.detail().ifPresent(d -> n.put("detail", d));
    }
    try {
      return (MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n")
          .getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a journal of strings always encodes", e);
    }
  }

  public static Journal decode(byte[] bytes, String where) {
    try {
      JsonNode root = MAPPER.readTree(bytes);
      if (root == null || !root.isObject() || root.path("version").asInt() != VERSION) {
        throw bad(where, "not a version " + VERSION + " journal");
      }
      List<StepRecord> steps = new ArrayList<>();
      for (JsonNode n : root.path("steps")) {
        List<String> created = new ArrayList<>();
        n.path("created").forEach(c -> created.add(c.asText()));
        steps.add(new StepRecord(text(n, "step", where), text(n, "status", where),
            Instant.parse(text(n, "at", where)), created,
            n.hasNonNull("detail") ? Optional.of(n.get("detail").asText()) : Optional.empty()));
      }
      return new Journal(text(root, "project", where), text(root, "environment", where),
          text(root, "domain", where), steps);
    } catch (IOException | DateTimeParseException e) {
      throw bad(where, "does not parse (" + e.getClass().getSimpleName() + ")");
    } catch (CodeBException e) {
      throw bad(where, e.getMessage());
    }
  }

  private static String text(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw bad(where, "has no text field '" + field + "'");
    }
    return v.asText();
  }

  private static InvalidRequestException bad(String where, String why) {
    return new InvalidRequestException("the init journal " + where + " " + why + "; move it"
        + " away to plan from the systems alone (destroy then removes nothing it recorded)");
  }
}
