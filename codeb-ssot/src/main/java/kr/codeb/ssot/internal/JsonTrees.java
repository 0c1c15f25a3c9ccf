package kr.codeb.ssot.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kr.codeb.InputFiles;
import kr.codeb.InvalidRequestException;
import kr.codeb.ports.JsonValues;

/**
 * Conversions between Jackson trees and the plain Java values the model's {@code extensions}
 * hold (String, Boolean, Number, null, List, LinkedHashMap), and JSON-path formatting for error
 * messages.
 */
final class JsonTrees {
  /** Keeps a BigDecimal's scale as given (the codec's mapper does not strip zeros either). */
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonTrees() {}

  /** A plain Java value for a parsed node. */
  static Object toJava(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        map.put(e.getKey(), toJava(e.getValue()));
      }
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      node.forEach(n -> list.add(toJava(n)));
      return list;
    }
    if (node.isNumber()) {
      return node.numberValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    // Parsing JSON text never yields binary or POJO nodes; keep their text rather than fail.
    return node.asText();
  }

  /**
   * A tree node for a plain Java value (the inverse of {@link #toJava}). Numbers get the node
   * type the codec's parser gives their written text (int, long or big integer by size; a
   * decimal for text with a point or exponent), so a patched tree decodes to exactly what a
   * read of its serialised bytes gives.
   */
  static JsonNode toNode(Object value) {
    if (value == null) {
      return NODES.nullNode();
    }
    if (value instanceof String s) {
      return NODES.textNode(s);
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (value instanceof Number n) {
      return number(n);
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode obj = NODES.objectNode();
      map.forEach((k, v) -> obj.set(String.valueOf(k), toNode(v)));
      return obj;
    }
    if (value instanceof List<?> list) {
      ArrayNode arr = NODES.arrayNode();
      list.forEach(v -> arr.add(toNode(v)));
      return arr;
    }
    throw new InvalidRequestException("not a JSON value: " + value.getClass().getName());
  }

  private static JsonNode number(Number n) {
    Number canonical = JsonValues.number(n);
    if (canonical instanceof Integer i) {
      return NODES.numberNode(i);
    }
    if (canonical instanceof Long l) {
      return NODES.numberNode(l);
    }
    if (canonical instanceof BigInteger big) {
      return NODES.numberNode(big);
    }
    return NODES.numberNode((BigDecimal) canonical);
  }

  /** {@code $.a.b} for plain keys, {@code $.a['x y']} for the rest. */
  static String child(String path, String key) {
    if (isPlain(key)) {
      return path + "." + key;
    }
    return path + "['" + InputFiles.shown(key.replace("\\", "\\\\").replace("'", "\\'")) + "']";
  }

  /** [A-Za-z0-9_-]+ without a regex: this runs for every key of every read. */
  private static boolean isPlain(String key) {
    if (key.isEmpty()) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '-';
      if (!plain) {
        return false;
      }
    }
    return true;
  }

  /**
   * What a node is, for messages: "a string", "an object", "the number 1.5". A string's text is
   * never shown: it is the file's content (see {@code SsotReader#atValue}).
   */
  static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    if (node.isNull()) {
      return "null";
    }
    if (node.isObject()) {
      return "an object";
    }
    if (node.isArray()) {
      return "an array";
    }
    if (node.isTextual()) {
      return "a string";
    }
    if (node.isNumber()) {
      return "the number " + node.asText();
    }
    return node.isBoolean() ? node.asText() : "a value of another type";
  }
}
