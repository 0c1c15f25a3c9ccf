package kr.codeb.vultr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * CodeB's description of Vultr's firewall endpoints: what its check refuses, and (where Vultr's
 * OpenAPI document is beside the repository, at {@value #SPEC}) that it agrees with that
 * document: the same endpoints, query parameters, fields, types, required fields, and values.
 */
class VultrApiDescriptionTest {
  static final String SPEC = "../shared/specs/vultr-firewall-openapi.json";
  private static final VultrApiDescription DESCRIPTION = VultrApiDescription.shared();

  @Test
  void theCheckRefusesWhatVultrRefuses() {
    String ok = "{\"ip_type\":\"v4\",\"protocol\":\"tcp\",\"port\":\"22\","
        + "\"subnet\":\"10.0.0.1\",\"subnet_size\":32,\"notes\":\"x\"}";
    assertEquals(List.of(), DESCRIPTION.requestProblems("POST", "/firewalls/g/rules", Map.of(),
        "Bearer k", ok));
    List<String> bad = DESCRIPTION.requestProblems("POST", "/firewalls/g/rules",
        Map.of("per_page", List.of("x")), null,
        "{\"ip_type\":\"v5\",\"protocol\":\"TCP\",\"subnet_size\":\"32\",\"extra\":1}");
    String all = String.join("\n", bad);
    for (String expected : List.of("Bearer", "query parameter 'per_page' is not one of",
        "'/ip_type' must be one of", "'/protocol' must be one of", "'/subnet' is missing",
        "'/subnet_size' must be an integer", "'/extra' is not one of")) {
      assertTrue(all.contains(expected), expected + " in:\n" + all);
    }
    assertTrue(DESCRIPTION.requestProblems("PATCH", "/firewalls/g", Map.of(), "Bearer k", "{}")
        .get(0).contains("no endpoint PATCH /firewalls/g"));
    assertTrue(DESCRIPTION.requestProblems("GET", "/firewalls", Map.of("per_page",
        List.of("ten")), "Bearer k", "").get(0).contains("must be an integer"));
    List<String> answer = DESCRIPTION.answerProblems("GET", "/firewalls/g", 200,
        "{\"firewall_group\":{\"id\":\"g\",\"description\":\"d\",\"rule_count\":\"1\"}}");
    assertTrue(String.join("\n", answer).contains("'/firewall_group/rule_count' must be an"
        + " integer") && String.join("\n", answer).contains("'/firewall_group/max_rule_count'"
        + " is missing"), answer.toString());
  }

  @Test
  void agreesWithVultrsOpenApiDocumentWhenItIsBesideTheRepository() throws Exception {
    Optional<Path> spec = findSpec();
    String note = "Vultr's OpenAPI document is not at " + SPEC + " (above "
        + Path.of("").toAbsolutePath() + "): the comparison with CodeB's description did not run";
    if (spec.isEmpty()) {
      System.out.println("NOTE: " + note);
    }
    Assumptions.assumeTrue(spec.isPresent(), note);
    JsonNode openApi = new ObjectMapper().readTree(Files.readString(spec.get()));
    List<String> differences = new ArrayList<>();
    for (JsonNode endpoint : DESCRIPTION.root().path("endpoints")) {
      compareEndpoint(openApi, endpoint, differences);
    }
    assertEquals(List.of(), differences, "CodeB's description differs from " + spec.get());
  }

  /** The document, found from the working directory upwards as {@code shared/specs/...}. */
  static Optional<Path> findSpec() {
    String tail = SPEC.substring("../".length());
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(tail))) {
        return Optional.of(dir.resolve(tail));
      }
    }
    return Optional.empty();
  }

  private void compareEndpoint(JsonNode doc, JsonNode endpoint, List<String> out) {
    String[] call = endpoint.path("call").asText().split(" ", 2);
    String path = call[1].replace("{group}", "{firewall-group-id}")
        .replace("{rule}", "{firewall-rule-id}");
    JsonNode op = doc.path("paths").path(path).path(call[0].toLowerCase(Locale.ROOT));
    String at = call[0] + " " + call[1];
    if (op.isMissingNode()) {
      out.add(at + ": not in the document");
      return;
    }
    Set<String> docQuery = new TreeSet<>();
    op.path("parameters").forEach(p -> {
      if (p.path("in").asText().equals("query")) {
        docQuery.add(p.path("name").asText() + ":" + p.path("schema").path("type").asText());
      }
    });
    Set<String> ourQuery = new TreeSet<>();
    endpoint.path("query").fields().forEachRemaining(f -> ourQuery.add(f.getKey() + ":"
        + f.getValue().asText()));
    if (!docQuery.equals(ourQuery)) {
      out.add(at + ": query " + ourQuery + ", the document " + docQuery);
    }
    String body = endpoint.path("body").asText("");
    JsonNode docBody = op.path("requestBody").path("content").path("application/json")
        .path("schema");
    if (!body.isEmpty()) {
      compareShape(doc, at + " body", body, docBody, true, out);
    } else if (!docBody.isMissingNode()) {
      out.add(at + ": the document has a request body, the description none");
    }
    endpoint.path("answers").fields().forEachRemaining(answer -> {
      JsonNode response = op.path("responses").path(answer.getKey());
      String where = at + " answer " + answer.getKey();
      if (response.isMissingNode()) {
        out.add(where + ": not in the document");
        return;
      }
      JsonNode schema = response.path("content").path("application/json").path("schema");
      if (answer.getValue().isNull()) {
        if (!schema.isMissingNode()) {
          out.add(where + ": the document has a body, the description none");
        }
        return;
      }
      compareFields(doc, where, answer.getValue(), schema, out);
    });
  }

  private void compareShape(JsonNode doc, String where, String shape, JsonNode schema,
      boolean request, List<String> out) {
    JsonNode ours = DESCRIPTION.root().path("shapes").path(shape);
    JsonNode resolved = resolve(doc, schema);
    compareFields(doc, where, ours.path("fields"), resolved, out);
    if (request) {
      Set<String> ourRequired = new TreeSet<>();
      ours.path("required").forEach(r -> ourRequired.add(r.asText()));
      Set<String> docRequired = new TreeSet<>();
      resolved.path("required").forEach(r -> docRequired.add(r.asText()));
      if (!ourRequired.equals(docRequired)) {
        out.add(where + ": required " + ourRequired + ", the document " + docRequired);
      }
    }
    // Every value the document lists is in the description; in a request, also the reverse.
    ours.path("fields").fields().forEachRemaining(f -> {
      Set<String> documented = bullets(resolved.path("properties").path(f.getKey())
          .path("description").asText(""));
      Set<String> ourValues = new TreeSet<>();
      f.getValue().path("values").forEach(v -> ourValues.add(v.asText().toLowerCase(Locale.ROOT)));
      if (!ourValues.containsAll(documented)
          || request && !documented.isEmpty() && !documented.containsAll(ourValues)) {
        out.add(where + " '" + f.getKey() + "': values " + ourValues + ", the document "
            + documented);
      }
    });
  }

  private void compareFields(JsonNode doc, String where, JsonNode ourFields, JsonNode schema,
      List<String> out) {
    JsonNode properties = resolve(doc, schema).path("properties");
    Set<String> ourNames = new TreeSet<>();
    ourFields.fieldNames().forEachRemaining(ourNames::add);
    Set<String> docNames = new TreeSet<>();
    properties.fieldNames().forEachRemaining(docNames::add);
    if (!ourNames.equals(docNames)) {
      out.add(where + ": fields " + ourNames + ", the document " + docNames);
      return;
    }
    ourFields.fields().forEachRemaining(f -> {
      String type = f.getValue().isObject() ? f.getValue().path("type").asText()
          : f.getValue().asText();
      JsonNode docField = properties.path(f.getKey());
      String at = where + " '" + f.getKey() + "'";
      if (type.startsWith("[")) {
        if (!docField.path("type").asText().equals("array")) {
          out.add(at + ": an array here, " + docField.path("type").asText() + " in the document");
        } else {
          compareShape(doc, at, type.substring(1, type.length() - 1), docField.path("items"),
              false, out);
        }
      } else if (Set.of("string", "integer", "boolean").contains(type)) {
        String docType = resolve(doc, docField).path("type").asText();
        if (!type.equals(docType)) {
          out.add(at + ": " + type + " here, " + docType + " in the document");
        }
      } else {
        compareShape(doc, at, type, docField, false, out);
      }
    });
  }

  private static JsonNode resolve(JsonNode doc, JsonNode schema) {
    String ref = schema.path("$ref").asText("");
    if (ref.startsWith("#/")) {
      JsonNode node = doc;
      for (String part : ref.substring(2).split("/")) {
        node = node.path(part);
      }
      return node;
    }
    return schema;
  }

  /** The values a field's description lists as "* value" lines, in lower case. */
  private static Set<String> bullets(String description) {
    Set<String> values = new TreeSet<>();
    description.lines().map(String::strip).filter(l -> l.startsWith("* "))
        .forEach(l -> values.add(l.substring(2).strip().toLowerCase(Locale.ROOT)));
    return values;
  }
}
