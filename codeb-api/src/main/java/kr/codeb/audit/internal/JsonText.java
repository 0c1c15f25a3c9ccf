package kr.codeb.audit.internal;

import java.util.Collection;
import java.util.Map;

/**
 * A JSON object written field by field, for the before and after of audit entries (codeb-api
 * has no JSON library). Values are strings, numbers, string lists and string maps.
 */
public final class JsonText {
  private final StringBuilder out = new StringBuilder("{");

  public static JsonText object() {
    return new JsonText();
  }

  public JsonText put(String name, String value) {
    return raw(name, value == null ? "null" : quote(value));
  }

  public JsonText put(String name, long value) {
    return raw(name, Long.toString(value));
  }

  public JsonText put(String name, boolean value) {
    return raw(name, Boolean.toString(value));
  }

  public JsonText put(String name, Collection<String> values) {
    StringBuilder array = new StringBuilder("[");
    for (String v : values) {
      array.append(array.length() > 1 ? "," : "").append(quote(v));
    }
    return raw(name, array.append(']').toString());
  }

  public JsonText put(String name, Map<String, String> values) {
    JsonText nested = object();
    values.forEach(nested::put);
    return raw(name, nested.toString());
  }

  /** {@code value} must be JSON text already. */
  public JsonText raw(String name, String value) {
    out.append(out.length() > 1 ? "," : "").append(quote(name)).append(':').append(value);
    return this;
  }

  @Override
  public String toString() {
    return out + "}";
  }

  /** A JSON string literal. */
  public static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
