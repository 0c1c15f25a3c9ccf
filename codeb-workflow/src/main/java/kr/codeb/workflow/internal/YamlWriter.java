package kr.codeb.workflow.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes a tree of maps (in their iteration order), lists and strings as block-style YAML, the
 * same bytes for the same tree. Strings that YAML would read as something else (a number, a
 * boolean, null), or that hold characters with a meaning in YAML, are single-quoted; strings
 * of several lines are literal blocks ({@code |}). Empty maps are written {@code {}}.
 */
public final class YamlWriter {
  private static final String INDENT = "  ";
  /** Safe as a plain scalar in block context: no indicator first, no ': ' or ' #' inside. */
  private static final Pattern PLAIN =
      Pattern.compile("(\\$\\{\\{|[A-Za-z0-9_/.])[A-Za-z0-9_ ./:@=,'\"(){}|&!<>*+$-]*");
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
  private static final Set<String> RESERVED = Set.of("true", "false", "yes", "no", "on", "off",
      "y", "n", "null", "~", ".inf", "-.inf", "+.inf", ".nan");

  private final StringBuilder out = new StringBuilder();

  private YamlWriter() {}

  /** The document for {@code root}, after {@code comment} lines (each prefixed by "# "). */
  public static String write(List<String> comment, Map<String, ?> root) {
    YamlWriter w = new YamlWriter();
    for (String line : comment) {
      w.out.append(line.isEmpty() ? "#" : "# " + line).append('\n');
    }
    w.map(root, 0, false);
    return w.out.toString();
  }

  /** The entries of {@code map} at {@code depth}; the first one inline when {@code inline}. */
  private void map(Map<String, ?> map, int depth, boolean inline) {
    boolean first = true;
    for (Map.Entry<String, ?> e : map.entrySet()) {
      if (!(first && inline)) {
        indent(depth);
      }
      first = false;
      entry(e.getKey(), e.getValue(), depth);
    }
  }

  private void entry(String key, Object value, int depth) {
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("not a plain key: " + key);
    }
    out.append(key).append(':');
    if (value instanceof Map<?, ?> m && m.isEmpty()) {
      out.append(" {}\n");
    } else if (value instanceof Map<?, ?> m) {
      out.append('\n');
      map(cast(m), depth + 1, false);
    } else if (value instanceof List<?> list) {
      out.append('\n');
      list(list, depth + 1);
    } else {
      out.append(' ');
      scalar(value, depth + 1);
    }
  }

  private void list(List<?> list, int depth) {
    for (Object item : list) {
      indent(depth);
      out.append("- ");
      if (item instanceof Map<?, ?> m && !m.isEmpty()) {
        map(cast(m), depth + 1, true);  // the first key follows the "- "
      } else {
        scalar(item, depth + 1);
      }
    }
  }

  private void scalar(Object value, int depth) {
    if (value instanceof Boolean || value instanceof Integer) {
      out.append(value).append('\n');
      return;
    }
    String s = (String) value;
    if (s.chars().anyMatch(c -> c != '\n' && c != '\t' && Character.isISOControl(c))) {
      throw new IllegalArgumentException("a control character in a YAML value");
    }
    if (s.contains("\n")) {
      block(s, depth);
    } else if (isPlain(s)) {
      out.append(s).append('\n');
    } else {
      out.append('\'').append(s.replace("'", "''")).append("'\n");
    }
  }

  private void block(String s, int depth) {
    // Indentation indicator when the first line starts with a space; chomping: strip (no
    // final newline), clip (one), keep (more than one).
    String indicator = s.startsWith(" ") ? String.valueOf(INDENT.length()) : "";
    String chomping = s.endsWith("\n\n") ? "+" : s.endsWith("\n") ? "" : "-";
    out.append('|').append(indicator).append(chomping).append('\n');
    String body = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    for (String line : body.split("\n", -1)) {
      if (!line.isEmpty()) {
        indent(depth);
        out.append(line);
      }
      out.append('\n');
    }
  }

  static boolean isPlain(String s) {
    return PLAIN.matcher(s).matches() && !s.contains(": ") && !s.endsWith(" ")
        && !s.endsWith(":") && !RESERVED.contains(s.toLowerCase(java.util.Locale.ROOT))
        && !s.matches("[-+.]?[0-9].*"); // numbers of YAML 1.1 and 1.2: 0x1F, 1_000, 12:30
  }

  private void indent(int depth) {
    out.append(INDENT.repeat(depth));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, ?> cast(Map<?, ?> m) {
    return (Map<String, ?>) m;
  }
}
