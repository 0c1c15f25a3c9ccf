package kr.codeb.model;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;

/**
 * An IPv4 or IPv6 address literal, kept in canonical form. Host names are refused: parsing
 * never performs a DNS lookup.
 */
public record IpAddress(String value) {
  private static final Pattern V4 =
      Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]+");

  public IpAddress {
    value = canonical(value);
  }

  public static IpAddress of(String value) {
    return new IpAddress(value);
  }

  public boolean isV4() {
    return value.indexOf(':') < 0;
  }

  /** The address as an {@link InetAddress}, without any lookup. */
  public InetAddress inetAddress() {
    try {
      return InetAddress.getByName(value);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("canonical literal did not parse: " + value, e);
    }
  }

  private static String canonical(String text) {
    String problem = "not an IP address: " + Checks.quote(text)
        + " (use an IPv4 literal like 10.0.0.5 or an IPv6 literal like fd00::5)";
    if (text == null) {
      throw new InvalidRequestException(problem);
    }
    if (V4.matcher(text).matches()) {
      return text;
    }
    // Only something made of hex digits, colons and dots reaches InetAddress, so no lookup.
    if (text.indexOf(':') < 0 || !V6.matcher(text).matches()) {
      throw new InvalidRequestException(problem);
    }
    try {
      InetAddress parsed = InetAddress.getByName(text);
      return parsed instanceof Inet4Address ? parsed.getHostAddress() : compress(parsed);
    } catch (UnknownHostException e) {
      throw new InvalidRequestException(problem);
    }
  }

  /** RFC 5952 form: lower case, longest run of zero groups as "::". */
  private static String compress(InetAddress v6) {
    String[] groups = v6.getHostAddress().split(":");
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < groups.length; i++) {
      int j = i;
      while (j < groups.length && groups[j].equals("0")) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
    }
    if (bestStart < 0) {
      return String.join(":", groups);
    }
    String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
    String tail = String.join(":",
        java.util.Arrays.copyOfRange(groups, bestStart + bestLen, groups.length));
    return head + "::" + tail;
  }

  @Override
  public String toString() {
    return value;
  }
}
