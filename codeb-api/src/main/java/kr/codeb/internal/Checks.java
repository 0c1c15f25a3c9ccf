package kr.codeb.internal;

import java.util.regex.Pattern;
import kr.codeb.InvalidRequestException;

/** Shared validation helpers for the model's constructors. */
public final class Checks {
  private static final Pattern LABEL = Pattern.compile("[a-z]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final int SHOWN = 64;

  private Checks() {}

  /**
   * Requires a DNS-label-like name: 1–63 lowercase letters, digits and hyphens, starting with a
   * letter and not ending with a hyphen.
   */
  public static String label(String what, String value, String example) {
    if (value == null || !LABEL.matcher(value).matches()) {
      throw new InvalidRequestException(
          "invalid " + what + " " + quote(value) + ": use 1-63 lowercase letters, digits and"
              + " hyphens, starting with a letter and not ending with a hyphen (e.g. " + example
              + ")");
    }
    return value;
  }

  /** Requires a TCP/UDP port number, 1–65535. */
  public static int port(String what, int port) {
    if (port < 1 || port > 65535) {
      throw new InvalidRequestException(what + " " + port + " is outside 1-65535");
    }
    return port;
  }

  /** Quotes user input for a message, cut short so a huge value cannot flood a log. */
  public static String quote(String value) {
    if (value == null) {
      return "(none)";
    }
    String shown = value.length() > SHOWN ? value.substring(0, SHOWN) + "..." : value;
    StringBuilder b = new StringBuilder("'");
    for (char c : shown.toCharArray()) {
      b.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : c);
    }
    return b.append('\'').toString();
  }
}
