package kr.codeb.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kr.codeb.InvalidRequestException;

/**
 * Deep, immutable copies of JSON-like values (null, String, Boolean, Number, List, Map with
 * String keys). Used for the fields of a stored document that CodeB does not know, so they can
 * be carried through a read-modify-write without a JSON library in codeb-api.
 */
public final class JsonValues {
  private JsonValues() {}

  /** An immutable, insertion-ordered copy of a map of JSON-like values. */
  public static Map<String, Object> copyObject(Map<String, ?> map) {
    if (map == null || map.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(k, copy(v)));
    return Collections.unmodifiableMap(copy);
  }

  /** An immutable copy of one JSON-like value; anything else is refused. */
  public static Object copy(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean
        || value instanceof Number) {
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> {
        if (!(k instanceof String key)) {
          throw new InvalidRequestException("JSON object keys must be strings, got " + k);
        }
        copy.put(key, copy(v));
      });
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(v -> copy.add(copy(v)));
      return Collections.unmodifiableList(copy);
    }
    throw new InvalidRequestException(
        "not a JSON value: " + value.getClass().getName() + " (use String, Number, Boolean,"
            + " null, List or Map)");
  }
}
