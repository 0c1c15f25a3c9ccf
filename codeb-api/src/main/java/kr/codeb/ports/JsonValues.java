package kr.codeb.ports;

import java.math.BigDecimal;
import java.math.BigInteger;
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

  /**
   * An immutable copy of one JSON-like value; anything else is refused. Numbers are kept in the
   * type a JSON reader gives their text (Integer, Long or BigInteger by size when the text has
   * no point or exponent, else BigDecimal with the text's scale), so a value stored and read
   * back equals the value given: {@code 7L} becomes {@code 7}, {@code 1.5d} becomes
   * {@code BigDecimal("1.5")}.
   */
  public static Object copy(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Number n) {
      return number(n);
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

  /** The canonical JSON type of a number, see {@link #copy}; NaN and infinities are refused. */
  public static Number number(Number n) {
    if (n instanceof Integer || n instanceof BigDecimal) {
      return n instanceof BigDecimal bd && isIntegral(bd.toString()) ? integral(bd.toString()) : n;
    }
    if ((n instanceof Double d && !Double.isFinite(d)) || (n instanceof Float f && !Float.isFinite(f))) {
      throw new InvalidRequestException("not a JSON number: " + n
          + " (JSON has no NaN or infinity)");
    }
    // toString() is the text JSON writers print for every Number type.
    String text = n.toString();
    try {
      return isIntegral(text) ? integral(text) : new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw new InvalidRequestException("not a JSON number: " + n.getClass().getName() + " "
          + text, e);
    }
  }

  private static boolean isIntegral(String text) {
    return text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
  }

  private static Number integral(String text) {
    BigInteger big = new BigInteger(text);
    if (big.bitLength() < Integer.SIZE) {
      return big.intValue();
    }
    if (big.bitLength() < Long.SIZE) {
      return big.longValue();
    }
    return big;
  }
}
