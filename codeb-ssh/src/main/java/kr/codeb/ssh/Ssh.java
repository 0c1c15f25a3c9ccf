package kr.codeb.ssh;

import kr.codeb.ssh.internal.ReopeningConnection;

/** Opens single SSH connections; for shared, reused connections use {@link SshPool}. */
public final class Ssh {
  private Ssh() {}

  /**
   * Opens a connection to {@code target} now: TCP connect, host key check against {@link
   * SshConfig#knownHosts()}, public-key login, all within {@link SshConfig#connectTimeout()}.
   * Throws {@link kr.codeb.UnavailableException} when the server cannot be reached in time, {@link
   * kr.codeb.AuthException} when the host key is unknown, changed or revoked (the message names the
   * fingerprints and the command that trusts the key) or the login is refused, and {@link
   * kr.codeb.InvalidRequestException} for an unreadable key, a missing passphrase variable or an
   * encrypted key without one. The caller closes the connection.
   */
  public static SshConnection connect(SshTarget target, SshConfig config) {
    java.util.Objects.requireNonNull(target, "target");
    java.util.Objects.requireNonNull(config, "config");
    return ReopeningConnection.owned(target, config);
  }
}
