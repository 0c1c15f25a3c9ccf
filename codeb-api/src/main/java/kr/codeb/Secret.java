package kr.codeb;

import java.util.Arrays;
import java.util.Objects;

/**
 * A secret value (API key, password). It never prints itself: {@link #toString()} is redacted,
 * so a secret that reaches a log line or an exception message by accident shows nothing.
 */
public final class Secret {
  private final char[] value;

  private Secret(char[] value) {
    this.value = value;
  }

  /** Wraps a secret; blank values are refused because they are always a configuration mistake. */
  public static Secret of(String value) {
    Objects.requireNonNull(value, "secret");
    if (value.isBlank()) {
      throw new InvalidRequestException("a secret must not be blank");
    }
    return new Secret(value.toCharArray());
  }

  /** The secret itself, for the one place that sends it (an HTTP header, a login). */
  public String reveal() {
    return new String(value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other && Arrays.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "Secret[redacted]";
  }
}
