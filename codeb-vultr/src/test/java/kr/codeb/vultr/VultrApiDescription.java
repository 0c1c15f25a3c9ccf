package kr.codeb.vultr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * CodeB's own description of Vultr's firewall endpoints ({@value #RESOURCE} in the test
 * resources), and the check of requests and answers against it that {@link VultrFake} runs on
 * every exchange. It needs nothing outside the repository.
 */
final class VultrApiDescription {
  static final String RESOURCE = "/vultr-firewall-api.json";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final VultrApiDescription SHARED = load();

  private final JsonNode root;

  private VultrApiDescription(JsonNode root) {
    this.root = root;
  }

  static VultrApiDescription shared() {
    return SHARED;
  }

  JsonNode root() {
    return root;
  }

  private static VultrApiDescription load() {
    try (InputStream in = VultrApiDescription.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the test resources");
      }
      return new VultrApiDescription(MAPPER.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The endpoint {@code METHOD path} (path below {@code /v2}), if the description has it. */
  Optional<JsonNode> endpoint(String method, String path) {
    for (JsonNode e : root.path("endpoints")) {
      String[] call = e.path("call").asText().split(" ", 2);
      String pattern = call[1].replaceAll("\\{[a-z]+}", "[^/]+");
      if (call[0].equals(method) && Pattern.matches(pattern, path)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** What is wrong with a request, as "description: ..." lines; empty when it fits. */
  List<String> requestProblems(String method, String path, Map<String, List<String>> query,
      String authorization, String body) {
    List<String> problems = new ArrayList<>();
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      problems.add("description: no 'Authorization: Bearer' header");
    }
    Optional<JsonNode> endpoint = endpoint(method, path);
    if (endpoint.isEmpty()) {
      problems.add("description: no endpoint " + method + " " + path);
      return problems;
    }
    JsonNode known = endpoint.get().path("query");
    query.forEach((name, values) -> {
      if (!known.has(name)) {
        problems.add("description: query parameter '" + name + "' is not one of "
            + fieldNames(known));
      } else {
        for (String v : values) {
          if (known.get(name).asText().equals("integer") && !v.matches("-?\\d+")) {
            problems.add("description: query parameter '" + name + "' must be an integer, got '"
                + v + "'");
          }
        }
      }
    });
    String shape = endpoint.get().path("body").asText("");
    if (!shape.isEmpty()) {
      JsonNode json;
      try {
        json = MAPPER.readTree(body == null ? "" : body);
      } catch (IOException e) {
        problems.add("description: the body is not JSON");
        return problems;
      }
      if (json == null || !json.isObject()) {
        problems.add("description: the body must be a JSON object of shape " + shape);
      } else {
        checkObject("/", json, shape, true, problems);
      }
    }
    return problems;
  }

  /** What is wrong with a 2xx answer's body; empty when it fits. */
  List<String> answerProblems(String method, String path, int status, String body) {
    List<String> problems = new ArrayList<>();
    Optional<JsonNode> endpoint = endpoint(method, path);
    if (endpoint.isEmpty()) {
      return List.of("description: no endpoint " + method + " " + path);
    }
    JsonNode answers = endpoint.get().path("answers");
    if (!answers.has(Integer.toString(status))) {
      return List.of("description: " + method + " " + path + " does not answer " + status
          + " but one of " + fieldNames(answers));
    }
    JsonNode fields = answers.get(Integer.toString(status));
    if (fields.isNull()) {
      if (body != null && !body.isBlank()) {
        problems.add("description: " + status + " has no body, got one");
      }
      return problems;
    }
    try {
      JsonNode json = MAPPER.readTree(body);
      checkFields("/", json, fields, false, List.of(), problems);
    } catch (IOException e) {
      problems.add("description: the answer is not JSON");
    }
    return problems;
  }

  private void checkObject(String at, JsonNode value, String shape, boolean request,
      List<String> problems) {
    JsonNode s = root.path("shapes").path(shape);
    List<String> required = new ArrayList<>();
    s.path("required").forEach(r -> required.add(r.asText()));
    checkFields(at, value, s.path("fields"), request, required, problems);
  }

  private void checkFields(String at, JsonNode value, JsonNode fields, boolean request,
      List<String> required, List<String> problems) {
    if (!value.isObject()) {
      problems.add("description: " + at + " must be an object");
      return;
    }
    for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!fields.has(name)) {
        problems.add("description: '" + at + name + "' is not one of " + fieldNames(fields));
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String where = at + field.getKey();
      JsonNode v = value.get(field.getKey());
      if (v == null) {
        if (!request || required.contains(field.getKey())) {
          problems.add("description: '" + where + "' is missing");
        }
        continue;
      }
      checkValue(where, v, field.getValue(), request, problems);
    }
  }

  private void checkValue(String where, JsonNode v, JsonNode spec, boolean request,
      List<String> problems) {
    String type = spec.isObject() ? spec.path("type").asText() : spec.asText();
    if (type.startsWith("[")) {
      if (!v.isArray()) {
        problems.add("description: '" + where + "' must be an array");
        return;
      }
      String item = type.substring(1, type.length() - 1);
      for (int i = 0; i < v.size(); i++) {
        checkObject(where + "/" + i + "/", v.get(i), item, request, problems);
      }
      return;
    }
    switch (type) {
      case "string" -> {
        if (!v.isTextual()) {
          problems.add("description: '" + where + "' must be a string, got " + v);
        }
      }
      case "integer" -> {
        if (!v.isIntegralNumber()) {
          problems.add("description: '" + where + "' must be an integer, got " + v);
        }
      }
      case "boolean" -> {
        if (!v.isBoolean()) {
          problems.add("description: '" + where + "' must be a boolean, got " + v);
        }
      }
      default -> checkObject(where + "/", v, type, request, problems);
    }
    JsonNode values = spec.path("values");
    if (values.isArray() && v.isTextual()) {
      boolean listed = false;
      for (JsonNode allowed : values) {
        listed |= allowed.asText().equals(v.asText());
      }
      if (!listed) {
        problems.add("description: '" + where + "' must be one of " + values + ", got " + v);
      }
    }
  }

  private static List<String> fieldNames(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
