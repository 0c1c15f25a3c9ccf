package kr.codeb.firewall;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.IpAddress;
import kr.codeb.ports.PortRange;

/**
 * Strict parsing and formatting of firewall rules as people and the Vultr API write them.
 *
 * <ul>
 *   <li>Protocol: {@code tcp}, {@code udp}, {@code icmp}, {@code gre}, {@code esp}, {@code ah}
 *       (any case; kept in lower case).</li>
 *   <li>Port: {@code 5432}, or a range {@code 8000:8999} (Vultr's form) or {@code 8000-8999},
 *       each port 1-65535, start &lt;= end; only for tcp and udp.</li>
 *   <li>Source: {@code 10.1.2.3/32}, {@code 10.1.0.0/16}, {@code fd00::/64}; a bare address
 *       means the one host ({@code /32} or {@code /128}). Bits below the prefix must be zero
 *       ({@code 10.1.2.3/24} is refused: the message says {@code 10.1.2.0/24}).</li>
 * </ul>
 *
 * Every failure is an {@link InvalidRequestException} that says what was wrong and what is
 * allowed.
 */
public final class FirewallRules {
  private static final Pattern PORTS = Pattern.compile("(\\d{1,9})(?:[:-](\\d{1,9}))?");
  private static final Pattern PREFIX = Pattern.compile("\\d{1,3}");
  private static final int MAX_NOTE = 255;

  private FirewallRules() {}

  /**
   * Parses a rule from user input.
   *
   * @param proto the protocol; {@code null} or blank means {@code tcp}
   * @param port a port or range for tcp/udp; {@code null} or blank for the other protocols
   * @param from the source address or CIDR
   * @param note a free note ({@code null} means none); at most 255 characters, no control
   *     characters
   */
  public static FirewallRule parse(String proto, String port, String from, String note) {
    Protocol protocol = protocol(proto);
    Optional<PortRange> ports = ports(protocol, port);
    Cidr cidr = cidr(from);
    return new FirewallRule(protocol, ports, cidr.address(), cidr.prefix(), note(note));
  }

  /** The protocol a user named; {@code null} or blank means {@code tcp}. */
  public static Protocol protocol(String proto) {
    return proto == null || proto.isBlank() ? Protocol.TCP : Protocol.of(proto);
  }

  /** The port range of a rule of {@code protocol}; empty for protocols without ports. */
  public static Optional<PortRange> ports(Protocol protocol, String port) {
    boolean hasPorts = protocol.hasPorts();
    boolean given = port != null && !port.isBlank();
    if (!hasPorts) {
      if (given) {
        throw new InvalidRequestException(protocol + " has no ports: leave the port out (got "
            + Checks.quote(port) + ")");
      }
      return Optional.empty();
    }
    if (!given) {
      throw new InvalidRequestException(protocol + " rules need a port (5432) or a port range"
          + " (8000:8999)");
    }
    Matcher m = PORTS.matcher(port.trim());
    if (!m.matches()) {
      throw new InvalidRequestException("invalid port " + Checks.quote(port)
          + ": use a port 1-65535 (5432) or a range START:END (8000:8999 or 8000-8999)");
    }
    int start = portNumber(m.group(1), port);
    int end = m.group(2) == null ? start : portNumber(m.group(2), port);
    if (start > end) {
      throw new InvalidRequestException("port range " + Checks.quote(port)
          + " is written backwards: the start must not be after the end (e.g. " + end + ":"
          + start + ")");
    }
    return Optional.of(new PortRange(start, end));
  }

  private static int portNumber(String digits, String input) {
    int n = Integer.parseInt(digits);
    if (n < 1 || n > 65535) {
      throw new InvalidRequestException("port " + n + " in " + Checks.quote(input)
          + " is outside 1-65535");
    }
    return n;
  }

  /** An address with its prefix length, as parsed from {@code 10.1.2.0/24}. */
  public record Cidr(IpAddress address, int prefix) {
    public Cidr {
      Objects.requireNonNull(address, "address");
      int max = address.isV4() ? 32 : 128;
      if (prefix < 0 || prefix > max) {
        throw new InvalidRequestException("prefix /" + prefix + " is outside 0-" + max + " for "
            + (address.isV4() ? "IPv4" : "IPv6"));
      }
    }

    @Override
    public String toString() {
      return address + "/" + prefix;
    }
  }

  /**
   * Parses {@code ADDRESS[/PREFIX]}; refuses host bits set below the prefix.
   */
  public static Cidr cidr(String from) {
    if (from == null || from.isBlank()) {
      throw new InvalidRequestException("no source given: use an address or CIDR such as"
          + " 10.1.2.3/32, 10.1.0.0/16 or fd00::/64");
    }
    String text = from.trim();
    int slash = text.indexOf('/');
    IpAddress address = IpAddress.of(slash < 0 ? text : text.substring(0, slash));
    int max = address.isV4() ? 32 : 128;
    int prefix = max;
    if (slash >= 0) {
      String p = text.substring(slash + 1);
      if (!PREFIX.matcher(p).matches() || Integer.parseInt(p) > max) {
        throw new InvalidRequestException("invalid prefix in " + Checks.quote(from) + ": use /0-/"
            + max + " for " + (address.isV4() ? "IPv4" : "IPv6"));
      }
      prefix = Integer.parseInt(p);
    }
    IpAddress network = network(address, prefix);
    if (!network.equals(address)) {
      throw new InvalidRequestException(Checks.quote(from) + " has host bits set below the /"
          + prefix + " prefix: write the network, " + network + "/" + prefix
          + ", or the single host, " + address + "/" + max);
    }
    return new Cidr(address, prefix);
  }

  /** The address with every bit below {@code prefix} cleared. */
  public static IpAddress network(IpAddress address, int prefix) {
    byte[] bytes = address.inetAddress().getAddress();
    for (int bit = prefix; bit < bytes.length * 8; bit++) {
      bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    try {
      return IpAddress.of(java.net.InetAddress.getByAddress(bytes).getHostAddress());
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String note(String note) {
    if (note == null) {
      return "";
    }
    if (note.length() > MAX_NOTE) {
      throw new InvalidRequestException("the note is " + note.length() + " characters long: at most "
          + MAX_NOTE + " are allowed");
    }
    for (char c : note.toCharArray()) {
      if (Character.isISOControl(c)) {
        throw new InvalidRequestException("the note " + Checks.quote(note)
            + " has a control character: use one line of plain text");
      }
    }
    return note;
  }

  /**
   * The port as Vultr writes it: {@code "5432"}, {@code "8000:8999"}, or {@code ""} for a rule
   * without ports.
   */
  public static String port(FirewallRule rule) {
    return rule.ports().map(FirewallRules::port).orElse("");
  }

  /** {@code "5432"} or {@code "8000:8999"}. */
  public static String port(PortRange range) {
    return range.start() == range.end() ? Integer.toString(range.start())
        : range.start() + ":" + range.end();
  }

  /** {@code "10.1.2.3/32"}. */
  public static String source(FirewallRule rule) {
    return rule.subnet() + "/" + rule.prefix();
  }

  /**
   * Whether two rules let the same traffic in: same protocol, ports, subnet and prefix. The
   * note is ignored; it is what the providers' {@code allow} and {@code revoke} compare.
   */
  public static boolean sameTraffic(FirewallRule a, FirewallRule b) {
    return a.protocol() == b.protocol() && a.ports().equals(b.ports())
        && a.subnet().equals(b.subnet()) && a.prefix() == b.prefix();
  }

  /** One line for people: {@code tcp 5432 from 10.1.2.3/32 (note)}. */
  public static String describe(FirewallRule rule) {
    return rule.protocol() + rule.ports().map(p -> " " + port(p)).orElse("") + " from "
        + source(rule) + (rule.note().isEmpty() ? "" : " (" + rule.note() + ")");
  }
}
