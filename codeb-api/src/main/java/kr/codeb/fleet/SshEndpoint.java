package kr.codeb.fleet;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;

/**
 * How to log in to a server over SSH: {@code user@host:port}, the private key, the environment
 * variable holding the key's passphrase (never the passphrase itself), and the known_hosts file
 * the server's host key is checked against. Nothing here is secret.
 *
 * @param serverName the fleet's name for the server, used in messages ({@code we fleet trust
 *     NAME}); the host when the caller has none
 * @param user the login user: 1-32 letters, digits, {@code _ . -}, not starting with {@code -}
 * @param host an IPv4 literal, an IPv6 literal (without brackets) or a DNS host name
 * @param port the SSH port, 1-65535
 * @param privateKey the private key file; empty for the first of {@code ~/.ssh/id_ed25519},
 *     {@code id_ecdsa}, {@code id_rsa} that exists
 * @param passphraseVariable the environment variable holding the key's passphrase, when the key
 *     is encrypted
 * @param knownHosts the known_hosts file; empty for {@code ~/.ssh/known_hosts}
 */
public record SshEndpoint(
    String serverName,
    String user,
    String host,
    int port,
    Optional<Path> privateKey,
    Optional<String> passphraseVariable,
    Optional<Path> knownHosts) {

  public static final int DEFAULT_PORT = 22;
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]{0,31}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.:-]{0,252}");
  private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  public SshEndpoint {
    Objects.requireNonNull(serverName, "serverName");
    if (user == null || !USER.matcher(user).matches()) {
      throw new InvalidRequestException("invalid SSH user " + Checks.quote(user) + ": 1-32"
          + " letters, digits, '_', '.', '-', not starting with '-'");
    }
    if (host == null || !HOST.matcher(host).matches()) {
      throw new InvalidRequestException("invalid SSH host " + Checks.quote(host) + ": an IP"
          + " address or a host name");
    }
    Checks.port("SSH port", port);
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(passphraseVariable, "passphraseVariable");
    passphraseVariable.ifPresent(v -> {
      if (!VARIABLE.matcher(v).matches()) {
        throw new InvalidRequestException("invalid passphrase variable " + Checks.quote(v)
            + ": the NAME of an environment variable (letters, digits, '_'), never the"
            + " passphrase itself");
      }
    });
    Objects.requireNonNull(knownHosts, "knownHosts");
    if (serverName.isBlank()) {
      serverName = host;
    }
  }

  /** {@code user@host:port} with the default key and known_hosts. */
  public static SshEndpoint of(String user, String host, int port) {
    return new SshEndpoint(host, user, host, port, Optional.empty(), Optional.empty(),
        Optional.empty());
  }

  /**
   * Parses {@code user@host[:port]} (an IPv6 host in brackets). The user is required: there is
   * no implicit login name.
   */
  public static SshEndpoint parse(String text) {
    String problem = "invalid SSH endpoint " + Checks.quote(text)
        + ": write user@host or user@host:port (IPv6 as user@[2001:db8::1]:22)";
    if (text == null) {
      throw new InvalidRequestException(problem);
    }
    int at = text.indexOf('@');
    if (at <= 0 || at == text.length() - 1) {
      throw new InvalidRequestException(problem);
    }
    String user = text.substring(0, at);
    String rest = text.substring(at + 1);
    String host;
    int port = DEFAULT_PORT;
    if (rest.startsWith("[")) {
      int close = rest.indexOf(']');
      if (close < 0) {
        throw new InvalidRequestException(problem);
      }
      host = rest.substring(1, close);
      String tail = rest.substring(close + 1);
      if (!tail.isEmpty()) {
        port = portOf(tail.startsWith(":") ? tail.substring(1) : "x", problem);
      }
    } else {
      int colon = rest.lastIndexOf(':');
      host = colon < 0 ? rest : rest.substring(0, colon);
      if (colon >= 0) {
        port = portOf(rest.substring(colon + 1), problem);
      }
    }
    return of(user, host, port);
  }

  private static int portOf(String text, String problem) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(problem);
    }
  }

  public SshEndpoint withServerName(String name) {
    return new SshEndpoint(name, user, host, port, privateKey, passphraseVariable, knownHosts);
  }

  public SshEndpoint withPrivateKey(Path key, Optional<String> passphraseVariable) {
    return new SshEndpoint(serverName, user, host, port, Optional.of(key), passphraseVariable,
        knownHosts);
  }

  public SshEndpoint withKnownHosts(Path file) {
    return new SshEndpoint(serverName, user, host, port, privateKey, passphraseVariable,
        Optional.of(file));
  }

  /** {@code user@host:port} ({@code user@[v6]:port}). */
  public String address() {
    return user + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public String toString() {
    return "SshEndpoint[" + serverName + " " + address() + "]";
  }
}
