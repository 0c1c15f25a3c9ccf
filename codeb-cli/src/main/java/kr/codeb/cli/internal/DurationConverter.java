package kr.codeb.cli.internal;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration as people write it: {@code 500ms}, {@code 60s}, {@code 2m}, {@code 1h}
 * (a whole number and a unit; {@code 0} alone is zero). Anything else is a usage error (exit 2).
 */
final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  static Duration parse(String value) {
    String text = value == null ? "" : value.strip();
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new TypeConversionException("invalid duration '" + value
          + "': use a whole number and a unit ms, s, m or h (e.g. 500ms, 60s, 2m)");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  /** For people: {@code 812 ms}, {@code 1.2 s}, {@code 65 s}, {@code 5 min}, {@code 3 h}. */
  static String human(Duration d) {
    long ms = d.toMillis();
    if (ms >= 7_200_000 && ms % 3_600_000 == 0) {
      return ms / 3_600_000 + " h";
    }
    if (ms >= 120_000 && ms % 60_000 == 0) {
      return ms / 60_000 + " min";
    }
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 10_000) {
      return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    return (ms / 1000) + " s";
  }
}
