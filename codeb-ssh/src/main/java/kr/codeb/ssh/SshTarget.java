package kr.codeb.ssh;

import java.util.regex.Pattern;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;

/**
 * Where to log in: a user, a host and a port. Written {@code user@host[:port]}; the host is an
 * IPv4 literal, an IPv6 literal in brackets ({@code root@[2001:db8::1]:2222}) or a host name.
 *
 * @param user the login user: 1-32 letters, digits, {@code _ . -}, not starting with {@code -}
 * @param host an IPv4 literal, an IPv6 literal (without brackets) or a DNS host name
 * @param port the SSH port, 1-65535 ({@link #DEFAULT_PORT} when the text names none)
 */
public record SshTarget(String user, String host, int port) {
  /** The port used when {@code user@host} names none. */
  public static final int DEFAULT_PORT = 22;

  private static final Pattern USER = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]{0,31}");
  private static final Pattern IPV4 =
      Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
  private static final Pattern HOST_NAME = Pattern.compile(
      "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
  private static final String FORM = "use user@host[:port], e.g. root@203.0.113.7 or deploy@app1.example.com:2222";

  public SshTarget {
    if (user == null || !USER.matcher(user).matches()) {
      throw new InvalidRequestException("invalid SSH user " + quote(user)
          + ": use 1-32 letters, digits, '_', '.' or '-', not starting with '-'");
    }
    if (host == null || !(IPV4.matcher(host).matches() || HOST_NAME.matcher(host).matches()
        || (IPV6.matcher(host).matches() && host.chars().filter(c -> c == ':').count() >= 2))) {
      throw new InvalidRequestException("invalid SSH host " + quote(host)
          + ": use an IPv4 address, an IPv6 address or a host name (e.g. 203.0.113.7)");
    }
    Checks.port("SSH port", port);
  }

  /** A target on the default port 22. */
  public static SshTarget of(String user, String host) {
    return new SshTarget(user, host, DEFAULT_PORT);
  }

  /**
   * Parses {@code user@host[:port]}. The user is required (no implicit login name); an IPv6 host
   * is written in brackets. Throws {@link InvalidRequestException} naming the allowed form.
   */
  public static SshTarget parse(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidRequestException("an SSH target is required: " + FORM);
    }
    int at = text.lastIndexOf('@');
    if (at <= 0 || at == text.length() - 1) {
      throw new InvalidRequestException("invalid SSH target " + quote(text) + ": " + FORM);
    }
    String user = text.substring(0, at);
    String rest = text.substring(at + 1);
    String host;
    String portText = null;
    if (rest.startsWith("[")) {
      int close = rest.indexOf(']');
      if (close < 0) {
        throw new InvalidRequestException("invalid SSH target " + quote(text)
            + ": an IPv6 address needs its closing ']' (e.g. root@[2001:db8::1]:22)");
      }
      host = rest.substring(1, close);
      String after = rest.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw new InvalidRequestException("invalid SSH target " + quote(text) + ": " + FORM);
        }
        portText = after.substring(1);
      }
    } else {
      int colon = rest.indexOf(':');
      if (colon >= 0 && rest.indexOf(':', colon + 1) >= 0) {
        throw new InvalidRequestException("invalid SSH target " + quote(text)
            + ": write an IPv6 address in brackets (e.g. root@[2001:db8::1]:22)");
      }
      host = colon < 0 ? rest : rest.substring(0, colon);
      portText = colon < 0 ? null : rest.substring(colon + 1);
    }
    int port = DEFAULT_PORT;
    if (portText != null) {
      if (!portText.matches("\\d{1,5}")) {
        throw new InvalidRequestException("invalid SSH port " + quote(portText) + " in "
            + quote(text) + ": use a number 1-65535");
      }
      port = Integer.parseInt(portText);
    }
    return new SshTarget(user, host, port);
  }

  /** {@code user@host} or {@code user@host:port} (IPv6 in brackets), parseable by {@link #parse}. */
  @Override
  public String toString() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return port == DEFAULT_PORT ? user + "@" + h : user + "@" + h + ":" + port;
  }

  /** {@code host:port} as used in messages ({@code [host]:port} for IPv6). */
  public String address() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  private static String quote(String s) {
    if (s == null) {
      return "(none)";
    }
    return "'" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "'";
  }
}
