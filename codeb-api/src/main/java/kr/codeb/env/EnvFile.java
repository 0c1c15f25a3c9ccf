package kr.codeb.env;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import kr.codeb.InvalidRequestException;
import kr.codeb.deploy.EnvSource;

/**
 * The content of one app's env file: names and values, in the order they were set. Immutable;
 * every change returns a new file.
 *
 * <p>Names match {@code [A-Z_][A-Z0-9_]*}. A value may hold any character except NUL, newlines
 * and quotes included. The file is UTF-8 text in a subset of POSIX shell syntax, so that {@code
 * set -a; . FILE} in a shell gives the same values: one {@code NAME=VALUE} per line, a value made
 * only of {@code A-Z a-z 0-9 _ . / : @ % + , -} written bare, every other value in single quotes
 * (a quote inside written as {@code '\''}). {@link #parse} reads that format, lines starting with
 * {@code #} and blank lines included, so that {@code parse(render())} gives back every value
 * exactly.
 *
 * <p>{@link #toString()} names the keys only: values are secrets.
 *
 * @param values the names and values, in order
 */
public record EnvFile(Map<String, String> values) {
  /** A file with no values. */
  public static final EnvFile EMPTY = new EnvFile(Map.of());

  private static final Pattern KEY = Pattern.compile("[A-Z_][A-Z0-9_]*");
  private static final Pattern BARE = Pattern.compile("[A-Za-z0-9_./:@%+,-]+");
  private static final int MAX_KEY = 256;
  private static final String HEADER =
      "# Written by CodeB (we env). Values are secrets: keep this file mode 0600.\n";

  public EnvFile {
    LinkedHashMap<String, String> copy = new LinkedHashMap<>();
    values.forEach((k, v) -> copy.put(checkKey(k), checkValue(k, v)));
    values = Collections.unmodifiableMap(copy);
  }

  /**
   * Checks a name: {@code [A-Z_][A-Z0-9_]*}, at most 256 characters.
   *
   * @throws InvalidRequestException naming the key and the rule
   */
  public static String checkKey(String key) {
    if (key == null || key.isEmpty() || key.length() > MAX_KEY || !KEY.matcher(key).matches()) {
      String shown = key == null ? "(none)" : "'" + printable(key) + "'";
      throw new InvalidRequestException("invalid env key " + shown + ": use capital letters, digits"
          + " and '_', not starting with a digit ([A-Z_][A-Z0-9_]*, at most " + MAX_KEY
          + " characters)");
    }
    return key;
  }

  /**
   * Checks a value: any text without NUL.
   *
   * @throws InvalidRequestException naming the key (never the value)
   */
  public static String checkValue(String key, String value) {
    if (value == null) {
      throw new InvalidRequestException("env key " + key + " has no value");
    }
    if (value.indexOf('\0') >= 0) {
      throw new InvalidRequestException("the value of env key " + key
          + " holds a NUL character, which no environment can carry");
    }
    return value;
  }

  /** The value of {@code key}, if set. */
  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** The names, in order. */
  public Set<String> keys() {
    return values.keySet();
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** This file with {@code changes} set: existing keys keep their place, new ones go last. */
  public EnvFile with(Map<String, String> changes) {
    LinkedHashMap<String, String> next = new LinkedHashMap<>(values);
    changes.forEach((k, v) -> next.put(checkKey(k), checkValue(k, v)));
    return new EnvFile(next);
  }

  /** This file without {@code keys}; a key that is not set is ignored. */
  public EnvFile without(Collection<String> keys) {
    LinkedHashMap<String, String> next = new LinkedHashMap<>(values);
    keys.forEach(next::remove);
    return new EnvFile(next);
  }

  /**
   * The hash of the values (see {@link EnvSource#hashOf}): equal for equal values whatever
   * their order, so a release can tell whether the env changed since.
   */
  public String hash() {
    return EnvSource.hashOf(values);
  }

  /** Which keys {@code next} adds, changes and removes compared with this file (names only). */
  public Diff diff(EnvFile next) {
    Set<String> added = new TreeSet<>();
    Set<String> changed = new TreeSet<>();
    Set<String> removed = new TreeSet<>();
    next.values.forEach((k, v) -> {
      String old = values.get(k);
      if (old == null) {
        added.add(k);
      } else if (!old.equals(v)) {
        changed.add(k);
      }
    });
    values.keySet().stream().filter(k -> !next.values.containsKey(k)).forEach(removed::add);
    return new Diff(added, changed, removed);
  }

  /** The names a change adds, changes and removes, sorted; never the values. */
  public record Diff(Set<String> added, Set<String> changed, Set<String> removed) {
    public Diff {
      added = Collections.unmodifiableSet(new TreeSet<>(added));
      changed = Collections.unmodifiableSet(new TreeSet<>(changed));
      removed = Collections.unmodifiableSet(new TreeSet<>(removed));
    }

    public boolean isEmpty() {
      return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
    }
  }

  /** The file's bytes: a header comment, then one {@code NAME=VALUE} line per key. */
  public byte[] render() {
    StringBuilder out = new StringBuilder(HEADER);
    values.forEach((k, v) -> out.append(k).append('=').append(quoted(v)).append('\n'));
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String quoted(String value) {
    if (BARE.matcher(value).matches()) {
      return value;
    }
    return "'" + value.replace("'", "'\\''") + "'";
  }

  /**
   * Reads the format {@link #render()} writes. A key set twice keeps its last value, as in a
   * shell.
   *
   * @throws InvalidRequestException naming the line and the problem (never a value): bytes that
   *     are not UTF-8, a line that is not {@code NAME=VALUE}, an invalid name, an unclosed quote,
   *     a character outside quotes that needs them
   */
  public static EnvFile parse(byte[] content) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content)).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidRequestException("the env file is not UTF-8 text");
    }
    return new Parser(text).parse();
  }

  /** A character-by-character reader of the format, tracking the line for messages. */
  private static final class Parser {
    private final String text;
    private int at;
    private int line = 1;

    Parser(String text) {
      this.text = text;
    }

    EnvFile parse() {
      LinkedHashMap<String, String> values = new LinkedHashMap<>();
      while (at < text.length()) {
        char c = text.charAt(at);
        if (c == '\n') {
          at++;
          line++;
        } else if (c == '#' || c == ' ' || c == '\t' || c == '\r') {
          skipCommentOrBlank();
        } else {
          int keyLine = line;
          String key = key();
          values.remove(key);
          values.put(key, value(key, keyLine));
        }
      }
      return new EnvFile(values);
    }

    private void skipCommentOrBlank() {
      boolean comment = false;
      while (at < text.length() && text.charAt(at) != '\n') {
        char c = text.charAt(at);
        if (c == '#') {
          comment = true;
        } else if (!comment && c != ' ' && c != '\t' && c != '\r') {
          throw fail("a line may not start with spaces before a key");
        }
        at++;
      }
    }

    private String key() {
      int eq = text.indexOf('=', at);
      int nl = text.indexOf('\n', at);
      if (eq < 0 || (nl >= 0 && nl < eq)) {
        throw fail("expected NAME=VALUE");
      }
      String key = text.substring(at, eq);
      if (key.startsWith("export ")) {
        key = key.substring("export ".length());
      }
      if (!KEY.matcher(key).matches() || key.length() > MAX_KEY) {
        throw fail("invalid key (use [A-Z_][A-Z0-9_]*)");
      }
      at = eq + 1;
      return key;
    }

    private String value(String key, int keyLine) {
      StringBuilder v = new StringBuilder();
      while (at < text.length() && text.charAt(at) != '\n') {
        char c = text.charAt(at);
        if (c == '\'') {
          int close = text.indexOf('\'', at + 1);
          if (close < 0) {
            line = keyLine;
            throw fail("the value of " + key + " opens a quote that is never closed");
          }
          String quoted = text.substring(at + 1, close);
          line += (int) quoted.chars().filter(ch -> ch == '\n').count();
          v.append(quoted);
          at = close + 1;
        } else if (c == '\\' && at + 1 < text.length() && text.charAt(at + 1) == '\'') {
          v.append('\'');
          at += 2;
        } else if (c == '\r' && at + 1 < text.length() && text.charAt(at + 1) == '\n') {
          at++;
        } else if (BARE.matcher(String.valueOf(c)).matches()) {
          v.append(c);
          at++;
        } else {
          throw fail("the value of " + key + " has a character outside quotes that needs"
              + " them: quote the value in single quotes");
        }
      }
      return checkValue(key, v.toString());
    }

    private InvalidRequestException fail(String problem) {
      return new InvalidRequestException("env file line " + line + ": " + problem);
    }
  }

  private static String printable(String s) {
    String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
    return cut.replaceAll("[\\p{Cntrl}]", "?");
  }

  @Override
  public String toString() {
    return "EnvFile" + values.keySet();
  }
}
