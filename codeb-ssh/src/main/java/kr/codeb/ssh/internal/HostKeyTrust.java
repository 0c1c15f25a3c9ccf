package kr.codeb.ssh.internal;

import java.nio.file.Path;
import java.security.PublicKey;
import kr.codeb.AuthException;
import kr.codeb.ssh.SshTarget;

/** The known_hosts side of {@code HostKeys.trust}. */
public final class HostKeyTrust {
  private HostKeyTrust() {}

  /**
   * Whether {@code knownHosts} already lists {@code key} for {@code target}; {@link AuthException}
   * when it lists another key (changed) or marks this one revoked.
   */
  public static boolean isAlreadyTrusted(SshTarget target, Path knownHosts, PublicKey key) {
    HostKeyCheck check = KnownHostsVerifier.check(KnownHostsVerifier.load(knownHosts),
        target.host(), target.port(), key);
    if (check.outcome() == HostKeyCheck.Outcome.TRUSTED) {
      return true;
    }
    if (check.outcome() == HostKeyCheck.Outcome.UNKNOWN) {
      return false;
    }
    throw Failures.hostKeyRefused(target, knownHosts, java.util.Optional.empty(), check);
  }
}
