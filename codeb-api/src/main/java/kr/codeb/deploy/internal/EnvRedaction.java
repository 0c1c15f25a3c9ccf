package kr.codeb.deploy.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.codeb.AuthException;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.RateLimitedException;
import kr.codeb.UnavailableException;
import kr.codeb.UnsupportedFeatureException;

/**
 * Removes a deploy's environment values from text that came from an engine (error messages,
 * container logs) before it reaches the result, the history or the user. Engines quote the
 * environment they were given ({@code "A=SECRET\x00"}), so each value is also removed in the
 * escaped forms engines write: Go's {@code %q}, JSON, and backslash-escaped control characters.
 * Values of {@value #SHORT} characters or fewer are removed only where they stand alone (not
 * inside a longer word or number), so that a value such as {@code 1} does not blank out every
 * digit of a message. The password of a URL value ({@code postgres://user:PASSWORD@host/db}) is
 * also removed on its own.
 */
public final class EnvRedaction {
  /** What stands in for a removed value. */
  public static final String MARK = "[redacted]";
  private static final int SHORT = 3;
  private static final Pattern URL_PASSWORD =
      Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://[^/@:\\s]*:([^@/\\s]+)@");

  private final List<Pattern> patterns;

  private EnvRedaction(List<Pattern> patterns) {
    this.patterns = patterns;
  }

  /** The redaction of every value in {@code env}. */
  public static EnvRedaction of(Map<String, String> env) {
    Set<String> forms = new LinkedHashSet<>();
    for (String value : env.values()) {
      if (value.isEmpty()) {
        continue;
      }
      forms.add(value);
      forms.add(goQuoted(value));
      forms.add(jsonEscaped(value));
      // A URL's password alone ("postgres://app:PASSWORD@db/app"), as a tool may print it.
      Matcher url = URL_PASSWORD.matcher(value);
      if (url.find() && url.group(1).length() > SHORT) {
        forms.add(url.group(1));
      }
    }
    List<String> longestFirst = new ArrayList<>(forms);
    longestFirst.sort(Comparator.comparingInt(String::length).reversed());
    List<Pattern> patterns = new ArrayList<>();
    for (String form : longestFirst) {
      String quoted = Pattern.quote(form);
      patterns.add(Pattern.compile(form.length() <= SHORT
          ? "(?<![\\p{Alnum}_])" + quoted + "(?![\\p{Alnum}_])" : quoted));
    }
    return new EnvRedaction(patterns);
  }

  /** {@code text} with every value (in each of its forms) replaced by {@value #MARK}. */
  public String apply(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (Pattern p : patterns) {
      out = p.matcher(out).replaceAll(Matcher.quoteReplacement(MARK));
    }
    return out;
  }

  /**
   * The same failure with its message redacted. The cause is dropped when anything was removed,
   * since its own message holds the value.
   */
  public CodeBException apply(CodeBException e) {
    String message = e.getMessage();
    String redacted = apply(message);
    if (redacted == null || redacted.equals(message)) {
      return e;
    }
    String provider = e.provider().orElse(null);
    int status = e.httpStatus().orElse(0);
    CodeBException copy;
    if (e instanceof NotFoundException) {
      copy = new NotFoundException(redacted, provider, status, null);
    } else if (e instanceof ConflictException) {
      copy = new ConflictException(redacted, provider, status, null);
    } else if (e instanceof AuthException) {
      copy = new AuthException(redacted, provider, status, null);
    } else if (e instanceof RateLimitedException) {
      copy = new RateLimitedException(redacted, provider, status, null);
    } else if (e instanceof UnavailableException) {
      copy = new UnavailableException(redacted, provider, status, null);
    } else if (e instanceof UnsupportedFeatureException) {
      copy = new UnsupportedFeatureException(redacted, provider, status, null);
    } else {
      copy = new InvalidRequestException(redacted, provider, status, null);
    }
    copy.setStackTrace(e.getStackTrace());
    return copy;
  }

  /** As Go's {@code %q} writes the string, without the surrounding quotes. */
  static String goQuoted(String value) {
    StringBuilder b = new StringBuilder();
    value.codePoints().forEach(c -> {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case 7 -> b.append("\\a");
        case 8 -> b.append("\\b");
        case 12 -> b.append("\\f");
        case 11 -> b.append("\\v");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\x%02x", c));
          } else {
            b.appendCodePoint(c);
          }
        }
      }
    });
    return b.toString();
  }

  /** As JSON writes the string, without the surrounding quotes. */
  static String jsonEscaped(String value) {
    StringBuilder b = new StringBuilder();
    value.codePoints().forEach(c -> {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", c));
          } else {
            b.appendCodePoint(c);
          }
        }
      }
    });
    return b.toString();
  }
}
