package kr.codeb;

import java.time.Duration;
import java.util.Optional;

/**
 * Argument checks for the model's constructors and for adapters' config records, so that every
 * message about bad input reads the same way: what was wrong, quoted and shortened (never a
 * secret: callers pass no secret values here), and what is allowed, with an example. Each check
 * throws {@link InvalidRequestException} and returns its argument when it passes.
 */
public final class Checks {
  private static final int SHOWN = 64;

  private Checks() {}

  /**
   * Requires a DNS-label-like name: 1–63 lowercase letters, digits and hyphens, starting with a
   * letter and not ending with a hyphen.
   */
  public static String label(String what, String value, String example) {
    if (!isLabel(value)) {
      throw new InvalidRequestException(
          "invalid " + what + " " + quote(value) + ": use 1-63 lowercase letters, digits and"
              + " hyphens, starting with a letter and not ending with a hyphen (e.g. " + example
              + ")");
    }
    return value;
  }

  /** [a-z]([a-z0-9-]{0,61}[a-z0-9])? by hand: every name of every SSOT read passes here. */
  private static boolean isLabel(String value) {
    if (value == null || value.isEmpty() || value.length() > 63) {
      return false;
    }
    char first = value.charAt(0);
    if (first < 'a' || first > 'z' || value.charAt(value.length() - 1) == '-') {
      return false;
    }
    for (int i = 1; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /** Requires a TCP/UDP port number, 1–65535. */
  public static int port(String what, int port) {
    if (port < 1 || port > 65535) {
      throw new InvalidRequestException(what + " " + port + " is outside 1-65535");
    }
    return port;
  }

  /** Requires a positive duration. */
  public static Duration positive(String what, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new InvalidRequestException(what + " must be a positive duration, not " + d);
    }
    return d;
  }

  /** Requires registry credentials to be both there or both absent. */
  public static void credentialPair(Optional<?> user, Optional<?> password) {
    if (user.isPresent() != password.isPresent()) {
      throw new InvalidRequestException(
          "registry credentials need both a user and a password (or token), or neither");
    }
  }

  /**
   * Whether a provider location is a URI with a scheme ({@code file:/x}, {@code mem:}) rather
   * than a path; a Windows drive letter ({@code C:\\x}, {@code C:/x}) is a path.
   */
  public static boolean hasUriScheme(String uriOrPath) {
    return uriOrPath.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*")
        && !uriOrPath.matches("[a-zA-Z]:[\\\\/].*");
  }

  /** A URI's text with any user-info replaced by {@code ***}, so it can be printed. */
  public static String redactedUri(String uri) {
    return uri == null ? null : uri.replaceAll("//[^/@?#]*@", "//***@");
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
