package kr.codeb.dns;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.DnsName;
import kr.codeb.model.IpAddress;

/**
 * Validates record content per type and brings it to the zone-file form every
 * {@link DnsProvider} stores and returns:
 * <ul>
 *   <li>{@code A}: an IPv4 literal; {@code AAAA}: an IPv6 literal (canonical, RFC 5952);</li>
 *   <li>{@code CNAME}, {@code NS}, {@code PTR}: an absolute {@link DnsName} (the trailing dot is
 *       added); a CNAME set holds exactly one record;</li>
 *   <li>{@code MX}: {@code priority name.}; {@code SRV}: {@code priority weight port target.}
 *       (numbers 0-65535, target absolute or {@code .});</li>
 *   <li>{@code TXT}: quoted; content without quotes is quoted (with {@code "} and {@code \}
 *       escaped);</li>
 *   <li>other types: trimmed and passed on as they are.</li>
 * </ul>
 * Content with control characters (a newline could inject a second record) is refused.
 * Duplicate records in one set are dropped (a set holds each record once).
 */
public final class RecordContent {
  private RecordContent() {}

  /** The record set with every record validated and normalised. */
  public static RecordSet normalise(RecordSet set) {
    Set<String> records = new LinkedHashSet<>();
    for (String r : set.records()) {
      records.add(normalise(set.type(), r));
    }
    if (set.type() == RecordType.CNAME && records.size() > 1) {
      throw new InvalidRequestException("CNAME " + set.name() + " has " + records.size()
          + " records; a CNAME set holds exactly one");
    }
    return new RecordSet(set.name(), set.type(), set.ttl(), new ArrayList<>(records));
  }

  /** One record's content in zone-file form for {@code type}. */
  public static String normalise(RecordType type, String content) {
    String t = type.name();
    if (content == null || content.isBlank()) {
      throw new InvalidRequestException("empty " + t + " record content");
    }
    for (char c : content.toCharArray()) {
      if (Character.isISOControl(c)) {
        throw new InvalidRequestException(t + " record content " + Checks.quote(content)
            + " contains a control character");
      }
    }
    String c = content.trim();
    switch (t) {
      case "A": {
        IpAddress ip = ip(t, c);
        if (!ip.isV4()) {
          throw new InvalidRequestException("A record content " + Checks.quote(c)
              + " is not an IPv4 address (use AAAA for IPv6)");
        }
        return ip.value();
      }
      case "AAAA": {
        IpAddress ip = ip(t, c);
        if (ip.isV4()) {
          throw new InvalidRequestException("AAAA record content " + Checks.quote(c)
              + " is not an IPv6 address (use A for IPv4)");
        }
        return ip.value();
      }
      case "CNAME":
      case "NS":
      case "PTR":
        return target(t, c, false);
      case "MX": {
        String[] p = c.split("\\s+");
        if (p.length != 2) {
          throw new InvalidRequestException("MX record content " + Checks.quote(c)
              + " must be 'PRIORITY NAME.' (e.g. '10 mail.vsvs.kr.')");
        }
        return number(t, c, p[0]) + " " + target(t, p[1], true);
      }
      case "SRV": {
        String[] p = c.split("\\s+");
        if (p.length != 4) {
          throw new InvalidRequestException("SRV record content " + Checks.quote(c)
              + " must be 'PRIORITY WEIGHT PORT TARGET.' (e.g. '10 5 4101 app.vsvs.kr.')");
        }
        return number(t, c, p[0]) + " " + number(t, c, p[1]) + " " + number(t, c, p[2]) + " "
            + target(t, p[3], true);
      }
      case "TXT":
        return quoted(c);
      default:
        return c;
    }
  }

  private static IpAddress ip(String type, String c) {
    try {
      return IpAddress.of(c);
    } catch (InvalidRequestException e) {
      throw new InvalidRequestException(type + " record content " + Checks.quote(c)
          + " is not an IP address literal", e);
    }
  }

  private static String target(String type, String name, boolean rootAllowed) {
    if (rootAllowed && name.equals(".")) {
      return ".";
    }
    try {
      return DnsName.of(name).value();
    } catch (InvalidRequestException e) {
      throw new InvalidRequestException(type + " target " + Checks.quote(name)
          + " is not a DNS name: " + e.getMessage(), e);
    }
  }

  private static int number(String type, String content, String text) {
    try {
      int n = Integer.parseInt(text);
      if (n >= 0 && n <= 65535) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new InvalidRequestException(type + " record content " + Checks.quote(content)
        + ": " + Checks.quote(text) + " must be a number 0-65535");
  }

  private static String quoted(String c) {
    if (c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"")) {
      return c;
    }
    StringBuilder b = new StringBuilder("\"");
    for (char ch : c.toCharArray()) {
      if (ch == '"' || ch == '\\') {
        b.append('\\');
      }
      b.append(ch);
    }
    return b.append('"').toString();
  }

  /** The records of a set sorted, for comparing sets regardless of order. */
  public static List<String> sorted(List<String> records) {
    List<String> copy = new ArrayList<>(records);
    copy.sort(null);
    return copy;
  }
}
