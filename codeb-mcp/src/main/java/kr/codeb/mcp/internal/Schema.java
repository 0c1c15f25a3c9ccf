package kr.codeb.mcp.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A JSON Schema (draft 2020-12 subset) of an object: a tool's input or output. Every property
 * has a description; fixed values are enums; required properties are listed. Input schemas
 * refuse unknown properties.
 */
final class Schema {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final ObjectNode root = MAPPER.createObjectNode();
  private final ObjectNode properties;
  private final ArrayNode required;
  private final List<String> names = new ArrayList<>();

  private Schema(boolean closed) {
    root.put("type", "object");
    properties = root.putObject("properties");
    required = root.putArray("required");
    if (closed) {
      root.put("additionalProperties", false);
    }
  }

  /** A tool's input: unknown properties are refused. */
  static Schema input() {
    return new Schema(true);
  }

  /** A tool's output ({@code structuredContent}): more properties may come in later versions. */
  static Schema output() {
    return new Schema(false);
  }

  private ObjectNode add(String name, String description, boolean isRequired, Object type) {
    ObjectNode p = properties.putObject(name);
    if (type instanceof String t) {
      p.put("type", t);
    } else {
      // anyOf of single types rather than a type array: clients that map schemas onto a
      // single-type dialect (function declarations of some model providers) take it.
      ArrayNode anyOf = p.putArray("anyOf");
      for (String t : (String[]) type) {
        anyOf.addObject().put("type", t);
      }
    }
    p.put("description", description);
    if (isRequired) {
      required.add(name);
    }
    names.add(name);
    return p;
  }

  Schema string(String name, String description, boolean isRequired) {
    add(name, description, isRequired, "string").put("minLength", 1);
    return this;
  }

  Schema stringEnum(String name, String description, boolean isRequired, List<String> values) {
    ArrayNode e = add(name, description, isRequired, "string").putArray("enum");
    values.forEach(e::add);
    return this;
  }

  Schema integer(String name, String description, boolean isRequired, long min, long max) {
    add(name, description, isRequired, "integer").put("minimum", min).put("maximum", max);
    return this;
  }

  Schema bool(String name, String description, boolean isRequired) {
    add(name, description, isRequired, "boolean");
    return this;
  }

  Schema strings(String name, String description, boolean isRequired) {
    ObjectNode p = add(name, description, isRequired, "array");
    p.putObject("items").put("type", "string").put("minLength", 1);
    return this;
  }

  /** {@code confirm}, required and {@code const: true}: what destructive tools take. */
  Schema confirm(String what) {
    add("confirm", "Must be true: confirms that you mean to " + what + ".", true, "boolean")
        .put("const", true);
    return this;
  }

  // Output properties: the types a result may have (a nullable one allows "null").

  Schema out(String name, String description, String... types) {
    add(name, description, true, types.length == 1 ? types[0] : types);
    return this;
  }

  /** An output property that only some results have. */
  Schema optionalOut(String name, String description, String... types) {
    add(name, description, false, types.length == 1 ? types[0] : types);
    return this;
  }

  List<String> names() {
    return List.copyOf(names);
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> toMap() {
    return MAPPER.convertValue(root, Map.class);
  }

  ObjectNode node() {
    return root.deepCopy();
  }
}
