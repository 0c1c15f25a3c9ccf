package kr.codeb.model;

import java.util.Locale;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;

/**
 * An absolute DNS name in canonical form: lower case, with the trailing dot
 * ({@code api.vsvs.kr.}). Labels are 1–63 letters, digits or hyphens, not starting or ending
 * with a hyphen; the whole name is at most 253 characters without the dot. A leading
 * {@code _label} is allowed for service names ({@code _app._tcp.vsvs.kr.}), and {@code *} as
 * the first label for wildcards. Unicode must be converted to punycode before (the domain
 * operation does that).
 */
public record DnsName(String value) {
  private static final String LABEL = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
  private static final String SERVICE = "_[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";

  public DnsName {
    value = canonical(value);
  }

  public static DnsName of(String value) {
    return new DnsName(value);
  }

  /** The name without the trailing dot, as written in a Host header. */
  public String hostName() {
    return value.substring(0, value.length() - 1);
  }

  /** Whether this name is {@code zone} or lies below it. */
  public boolean isWithin(DnsName zone) {
    return value.equals(zone.value) || value.endsWith("." + zone.value);
  }

  private static String canonical(String text) {
    if (text == null || text.isEmpty()) {
      throw new InvalidRequestException("a DNS name must not be empty");
    }
    String name = text.toLowerCase(Locale.ROOT);
    name = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    if (name.length() > 253) {
      throw new InvalidRequestException("DNS name " + Checks.quote(text) + " is "
          + name.length() + " characters long; at most 253 are allowed");
    }
    String[] labels = name.split("\\.", -1);
    for (int i = 0; i < labels.length; i++) {
      String label = labels[i];
      boolean ok = label.matches(LABEL)
          || (label.matches(SERVICE) && i < labels.length - 1)
          || (label.equals("*") && i == 0 && labels.length > 1);
      if (!ok) {
        throw new InvalidRequestException("invalid DNS name " + Checks.quote(text) + ": label "
            + Checks.quote(label) + " must be 1-63 letters, digits or hyphens, not starting or"
            + " ending with a hyphen");
      }
    }
    return name + ".";
  }

  @Override
  public String toString() {
    return value;
  }
}
