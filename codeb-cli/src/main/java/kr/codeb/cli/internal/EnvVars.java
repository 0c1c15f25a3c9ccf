package kr.codeb.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import kr.codeb.InputFiles;
import kr.codeb.InvalidRequestException;
import kr.codeb.deploy.EnvSource;

/**
 * The container's environment variables, from {@code --env-file} and {@code -e KEY=VALUE}
 * (later ones win), checked before anything starts. Values are secrets: no message here ever
 * contains one, only file names, line numbers and keys.
 *
 * <p>An env file must be a regular file of at most {@value #MAX_FILE_BYTES} bytes of UTF-8
 * text, readable by its owner only (mode 0600 or 0400) unless the caller allows otherwise.
 * A line is {@code KEY=VALUE}, with an optional {@code export } in front; a value in matching
 * single or double quotes is taken literally without them, and an opening quote must be closed
 * on the same line. Keys are letters, digits and {@code _}, not starting with a digit. Values
 * hold no control characters other than tab (a NUL, for one, is refused). {@code #} comment
 * lines and blank lines are skipped.
 */
final class EnvVars {
  /** The largest env file read: far above any real one, small enough to never strain memory. */
  static final int MAX_FILE_BYTES = 1024 * 1024;
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  private static final String VALUES_ALLOWED = "values may hold any printable text and tabs,"
      + " no other control characters";

  private final Map<String, String> values = new LinkedHashMap<>();
  private Optional<String> file = Optional.empty();
  private final List<String> optionKeys = new ArrayList<>();

  /** The values gathered so far (in order; a later key wins). */
  Map<String, String> values() {
    return values;
  }

  /** Where the values came from, for the release history (never the values). */
  EnvSource source() {
    return new EnvSource(file, optionKeys);
  }

  /**
   * Reads an env file (see the class comment).
   *
   * @param allowInsecure accept a file that group or others may read
   */
  EnvVars readFile(Path path, boolean allowInsecure) {
    Path absolute = path.toAbsolutePath().normalize();
    parse(readChecked(path, allowInsecure), "env file " + path);
    file = Optional.of(absolute.toString());
    return this;
  }

  /** Adds the {@code KEY=VALUE} lines of {@code content}; {@code name} names it in messages. */
  EnvVars parse(byte[] content, String name) {
    String text = decode(content, name);
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      parseLine(lines[i], name + " line " + (i + 1));
    }
    return this;
  }

  /**
   * The bytes of an env file after the checks of {@link #readFile}: a regular file, at most
   * {@value #MAX_FILE_BYTES} bytes, readable by its owner only unless {@code allowInsecure}.
   */
  static byte[] readChecked(Path path, boolean allowInsecure) {
    Path absolute = path.toAbsolutePath().normalize();
    String name = "env file " + path;
    if (!Files.exists(absolute)) {
      throw new InvalidRequestException(name + " does not exist");
    }
    if (!Files.isRegularFile(absolute)) {
      throw new InvalidRequestException(name + " is not a regular file (a folder, device or"
          + " pipe is never read): give a file of KEY=VALUE lines");
    }
    checkPermissions(absolute, name, allowInsecure);
    return readBounded(absolute, name);
  }

  /** Adds the {@code -e KEY=VALUE} options. */
  EnvVars addOptions(List<String> options) {
    for (int i = 0; i < options.size(); i++) {
      String option = options.get(i);
      int eq = option.indexOf('=');
      String where = "option -e #" + (i + 1);
      if (eq < 0) {
        throw new InvalidRequestException(where + ": expected KEY=VALUE (there is no '=')");
      }
      String key = option.substring(0, eq);
      checkKey(key, where);
      String value = option.substring(eq + 1);
      checkValue(value, where + " (" + key + ")");
      values.put(key, value);
      optionKeys.remove(key);
      optionKeys.add(key);
    }
    return this;
  }

  private void parseLine(String raw, String where) {
    String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
    line = line.strip();
    if (line.isEmpty() || line.startsWith("#")) {
      return;
    }
    if (line.startsWith("export ")) {
      line = line.substring("export ".length()).stripLeading();
    }
    int eq = line.indexOf('=');
    if (eq < 0) {
      checkValue(line, where);
      throw new InvalidRequestException(where + ": expected KEY=VALUE (the line has no '=')");
    }
    String key = line.substring(0, eq).strip();
    checkKey(key, where);
    String value = line.substring(eq + 1).strip();
    checkValue(value, where + " (" + key + ")");
    values.put(key, unquote(value, where + " (" + key + ")"));
  }

  private static void checkPermissions(Path file, String name, boolean allowInsecure) {
    if (allowInsecure) {
      return;
    }
    Set<PosixFilePermission> mode;
    try {
      mode = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException e) {
      return; // not a POSIX file system: nothing to check
    } catch (IOException e) {
      throw new InvalidRequestException(name + " cannot be read (" + InputFiles.reason(e) + ")");
    }
    if (mode.contains(PosixFilePermission.GROUP_READ)
        || mode.contains(PosixFilePermission.OTHERS_READ)) {
      throw new InvalidRequestException(name + " may be read by "
          + (mode.contains(PosixFilePermission.OTHERS_READ) ? "every user" : "its group")
          + ", and it holds secrets: `chmod 600 " + file + "`, or pass"
          + " --allow-insecure-env-file to use it as it is");
    }
  }

  private static byte[] readBounded(Path file, String name) {
    try (InputStream in = Files.newInputStream(file)) {
      // Bounded even if the file grew or was swapped after the checks above.
      byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
      if (bytes.length > MAX_FILE_BYTES) {
        throw new InvalidRequestException(name + " is larger than " + MAX_FILE_BYTES
            + " bytes, the most an env file may have");
      }
      return bytes;
    } catch (IOException e) {
      throw new InvalidRequestException(name + " cannot be read (" + InputFiles.reason(e) + ")");
    }
  }

  private static String decode(byte[] bytes, String name) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidRequestException(name + " is not UTF-8 text");
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

  private static void checkValue(String value, String where) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
        throw new InvalidRequestException(where + ": the value contains a control character ("
            + controlName(c) + " at position " + (i + 1) + "); " + VALUES_ALLOWED);
      }
    }
  }

  private static String unquote(String value, String where) {
    if (value.isEmpty()) {
      return value;
    }
    char first = value.charAt(0);
    if (first != '"' && first != '\'') {
      return value;
    }
    if (value.length() < 2 || value.charAt(value.length() - 1) != first) {
      throw new InvalidRequestException(where + ": the value opens a " + (first == '"'
          ? "double" : "single") + " quote that is not closed on the same line; a quoted value"
          + " ends with the same quote (multi-line values are not supported)");
    }
    return value.substring(1, value.length() - 1);
  }

  private static String controlName(char c) {
    return switch (c) {
      case 0 -> "NUL";
      case '\r' -> "carriage return";
      case '\n' -> "line feed";
      case 0x1b -> "escape";
      case 0x7f -> "DEL";
      default -> String.format("U+%04X", (int) c);
    };
  }
}
