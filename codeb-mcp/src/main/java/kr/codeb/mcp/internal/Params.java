package kr.codeb.mcp.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import kr.codeb.InvalidRequestException;

/**
 * A tool call's arguments, read by field with the checks of its input schema: an unknown field,
 * a missing required one or a value of the wrong type is a {@link ToolInputException} naming the
 * field and what is allowed. Values are never quoted back (an env pair may be a secret).
 */
final class Params {
  private final Map<String, Object> values;

  Params(Map<String, Object> arguments, List<String> known) {
    this.values = arguments == null ? Map.of() : arguments;
    for (String name : new TreeSet<>(values.keySet())) {
      if (!known.contains(name)) {
        throw new ToolInputException(name, "unknown field; the fields of this tool are "
            + (known.isEmpty() ? "none" : String.join(", ", known)));
      }
    }
  }

  String string(String field, String allowed) {
    return optionalString(field, allowed).orElseThrow(() ->
        new ToolInputException(field, "required; " + allowed));
  }

  Optional<String> optionalString(String field, String allowed) {
    Object v = values.get(field);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String s) || s.isBlank()) {
      throw new ToolInputException(field, "must be a non-empty string; " + allowed);
    }
    return Optional.of(s);
  }

  Optional<String> oneOf(String field, List<String> allowed) {
    Optional<String> v = optionalString(field, "one of " + String.join(", ", allowed));
    if (v.isPresent() && !allowed.contains(v.get())) {
      throw new ToolInputException(field, "must be one of " + String.join(", ", allowed));
    }
    return v;
  }

  boolean bool(String field, boolean fallback) {
    Object v = values.get(field);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Boolean b)) {
      throw new ToolInputException(field, "must be true or false");
    }
    return b;
  }

  long integer(String field, long fallback, long min, long max) {
    Object v = values.get(field);
    if (v == null) {
      return fallback;
    }
    boolean whole = v instanceof Integer || v instanceof Long
        || (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()));
    if (!whole || ((Number) v).doubleValue() < min || ((Number) v).doubleValue() > max) {
      throw new ToolInputException(field, "must be a whole number from " + min + " to " + max);
    }
    return ((Number) v).longValue();
  }

  List<String> strings(String field, String allowed) {
    Object v = values.get(field);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      throw new ToolInputException(field, "must be an array of strings; " + allowed);
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof String s) || s.isBlank()) {
        throw new ToolInputException(field, "item " + (i + 1) + " must be a non-empty string; "
            + allowed);
      }
      out.add(s);
    }
    return out;
  }

  /**
   * Makes a value of the library (a project name, a domain) from a field, its own check's
   * message prefixed with the field.
   */
  static <T> T checked(String field, String value, Function<String, T> make) {
    try {
      return make.apply(value);
    } catch (InvalidRequestException e) {
      throw new ToolInputException(field, e.getMessage());
    }
  }
}
