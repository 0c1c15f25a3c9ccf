package kr.codeb.internal;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;

/**
 * Strict host names for the domain operation: what a browser sends in a {@code Host} header
 * and a certificate can name. Labels of 1-63 letters, digits and hyphens (no underscores, not
 * starting or ending with a hyphen), at least two labels, at most 253 characters. Unicode is
 * converted to punycode ({@link IDN#toASCII}) and the conversion is reported, not refused.
 */
public final class HostNames {
  private HostNames() {}

  /** A checked host name and, when it was given in Unicode, what was given. */
  public record Parsed(String ascii, Optional<String> unicode) {}

  public static Parsed parse(String what, String input) {
    if (input == null || input.isBlank()) {
      throw new InvalidRequestException(what + " must not be empty (e.g. vsvs.kr)");
    }
    String text = input;
    Optional<String> unicode = Optional.empty();
    if (!text.chars().allMatch(c -> c < 128)) {
      try {
        text = IDN.toASCII(text);
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException("invalid " + what + " " + Checks.quote(input)
            + ": it cannot be converted to punycode (" + e.getMessage() + ")");
      }
      unicode = Optional.of(input);
    }
    String name = text.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    String bad = problem(name);
    if (bad != null) {
      throw new InvalidRequestException("invalid " + what + " " + Checks.quote(input) + ": " + bad
          + "; a host name is 2 or more labels of 1-63 letters, digits and hyphens (not starting"
          + " or ending with a hyphen), at most 253 characters (e.g. shop.vsvs.kr)");
    }
    return new Parsed(name, unicode);
  }

  private static String problem(String name) {
    if (name.length() > 253) {
      return "it is " + name.length() + " characters long";
    }
    String[] labels = name.split("\\.", -1);
    if (labels.length < 2) {
      return "it has a single label";
    }
    for (String label : labels) {
      if (label.isEmpty()) {
        return "it has an empty label (a leading dot or two dots in a row)";
      }
      if (label.length() > 63) {
        return "label " + Checks.quote(label) + " is " + label.length() + " characters long";
      }
      for (char c : label.toCharArray()) {
        boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok) {
          return "label " + Checks.quote(label) + " contains "
              + (c == '_' ? "an underscore" : "the character " + Checks.quote(String.valueOf(c)));
        }
      }
      if (label.startsWith("-") || label.endsWith("-")) {
        return "label " + Checks.quote(label) + " starts or ends with a hyphen";
      }
    }
    if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
      return "the last label is all digits (an IP address is not a domain)";
    }
    return null;
  }

}
