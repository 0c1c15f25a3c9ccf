package kr.codeb.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;

/**
 * How to log in and how long to wait. The passphrase of an encrypted key is never part of the
 * configuration: the configuration only names the environment variable that holds it, read at
 * each connect. ssh-agent is not supported (sshj needs an extra native agent library for it).
 *
 * @param privateKey the private key file (OpenSSH, PEM or PuTTY format; Ed25519, ECDSA or RSA)
 * @param passphraseVariable the name of the environment variable holding the key's passphrase,
 *     when the key is encrypted (letters, digits and {@code _}, not starting with a digit)
 * @param knownHosts the known_hosts file the server's host key is checked against
 * @param connectTimeout the bound on TCP connect, key exchange and login together
 * @param commandTimeout the default bound on one remote command when a call names none
 * @param serverName the fleet's name for this server, used only in messages (for example in the
 *     {@code we fleet trust NAME} advice); empty when the caller has none
 */
public record SshConfig(
    Path privateKey,
    Optional<String> passphraseVariable,
    Path knownHosts,
    Duration connectTimeout,
    Duration commandTimeout,
    Optional<String> serverName) {

  /** The connect timeout of {@link #of}: 10 s. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** The command timeout of {@link #of}: 60 s. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(60);

  private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  public SshConfig {
    if (privateKey == null) {
      throw new InvalidRequestException("an SSH private key file is required (e.g. ~/.ssh/id_ed25519)");
    }
    passphraseVariable = passphraseVariable == null ? Optional.empty() : passphraseVariable;
    passphraseVariable.ifPresent(v -> {
      if (!VARIABLE.matcher(v).matches()) {
        throw new InvalidRequestException("invalid passphrase environment variable name '"
            + (v.length() > 64 ? v.substring(0, 64) + "..." : v)
            + "': use letters, digits and '_', not starting with a digit (e.g. CODEB_SSH_PASSPHRASE)");
      }
    });
    if (knownHosts == null) {
      throw new InvalidRequestException("a known_hosts file is required (e.g. ~/.ssh/known_hosts)");
    }
    Checks.positive("SSH connect timeout", connectTimeout);
    Checks.positive("SSH command timeout", commandTimeout);
    serverName = serverName == null ? Optional.empty() : serverName;
    serverName.ifPresent(n -> Checks.label("server name", n, "app1"));
  }

  /**
   * A configuration with the given key, no passphrase, {@code ~/.ssh/known_hosts} and the default
   * timeouts.
   */
  public static SshConfig of(Path privateKey) {
    return new SshConfig(privateKey, Optional.empty(), defaultKnownHosts(),
        DEFAULT_CONNECT_TIMEOUT, DEFAULT_COMMAND_TIMEOUT, Optional.empty());
  }

  /** {@code ~/.ssh/known_hosts} of the user running this process. */
  public static Path defaultKnownHosts() {
    return Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
  }

  /** This configuration with the key's passphrase read from environment variable {@code name}. */
  public SshConfig withPassphraseVariable(String name) {
    return new SshConfig(privateKey, Optional.of(name), knownHosts, connectTimeout, commandTimeout,
        serverName);
  }

  /** This configuration with the passphrase variable {@code name}, or none when empty. */
  public SshConfig withPassphraseVariableIfAny(Optional<String> name) {
    return new SshConfig(privateKey, name, knownHosts, connectTimeout, commandTimeout,
        serverName);
  }

  /** This configuration checking host keys against {@code file}. */
  public SshConfig withKnownHosts(Path file) {
    return new SshConfig(privateKey, passphraseVariable, file, connectTimeout, commandTimeout,
        serverName);
  }

  /** This configuration with other timeouts. */
  public SshConfig withTimeouts(Duration connect, Duration command) {
    return new SshConfig(privateKey, passphraseVariable, knownHosts, connect, command, serverName);
  }

  /** This configuration naming the server {@code name} in messages. */
  public SshConfig withServerName(String name) {
    return new SshConfig(privateKey, passphraseVariable, knownHosts, connectTimeout,
        commandTimeout, Optional.of(name));
  }
}
