package kr.codeb.cli.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import kr.codeb.InvalidRequestException;

/**
 * The container's environment variables, from {@code --env-file} and {@code -e KEY=VALUE}
 * (later ones win). Values are secrets: no message here ever contains one, only file names,
 * line numbers and keys.
 */
final class EnvVars {
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  private EnvVars() {}

  /**
   * Reads an env file: {@code KEY=VALUE} lines, an optional {@code export } in front, a value
   * optionally in matching single or double quotes (taken literally), {@code #} comment lines
   * and blank lines.
   */
  static Map<String, String> readFile(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidRequestException("env file " + file + " cannot be read ("
          + e.getClass().getSimpleName() + ")");
    }
    Map<String, String> vars = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring("export ".length()).stripLeading();
      }
      String where = "env file " + file + " line " + (i + 1);
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw new InvalidRequestException(where + ": expected KEY=VALUE (the line has no '=')");
      }
      String key = line.substring(0, eq).strip();
      checkKey(key, where);
      vars.put(key, unquote(line.substring(eq + 1).strip()));
    }
    return vars;
  }

  /** Adds the {@code -e KEY=VALUE} options to {@code vars}. */
  static void addOptions(Map<String, String> vars, List<String> options) {
    for (int i = 0; i < options.size(); i++) {
      String option = options.get(i);
      int eq = option.indexOf('=');
      String where = "option -e #" + (i + 1);
      if (eq < 0) {
        throw new InvalidRequestException(where + ": expected KEY=VALUE (there is no '=')");
      }
      String key = option.substring(0, eq);
      checkKey(key, where);
      vars.put(key, option.substring(eq + 1));
    }
  }

  private static void checkKey(String key, String where) {
    if (!KEY.matcher(key).matches()) {
      String shown = key.length() > 40 || !key.chars().allMatch(c -> c > ' ' && c < 127)
          ? "" : " '" + key + "'";
      throw new InvalidRequestException(where + ": invalid variable name" + shown
          + ": use letters, digits and '_', not starting with a digit");
    }
  }

  private static String unquote(String value) {
    if (value.length() >= 2) {
      char first = value.charAt(0);
      if ((first == '"' || first == '\'') && value.charAt(value.length() - 1) == first) {
        return value.substring(1, value.length() - 1);
      }
    }
    return value;
  }
}
