package kr.codeb.ssh.internal;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.stream.Collectors;
import kr.codeb.AuthException;
import kr.codeb.CodeBException;
import kr.codeb.UnavailableException;
import kr.codeb.ssh.SshConfig;
import kr.codeb.ssh.SshTarget;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.transport.TransportException;

/** Turns sshj and socket failures into CodeB's exceptions, with messages that never hold secrets. */
final class Failures {
  private Failures() {}

  /** Seconds, for messages ("5 s", "0.5 s"). */
  static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  /** The refusal of a host key, with the fingerprints and the command that trusts the key. */
  static AuthException hostKeyRefused(SshTarget target, SshConfig config, HostKeyCheck check) {
    return hostKeyRefused(target, config.knownHosts(), config.serverName(), check);
  }

  /** See above; {@code serverName} is the fleet's name for the server, when known. */
  static AuthException hostKeyRefused(SshTarget target, java.nio.file.Path knownHosts,
      java.util.Optional<String> serverName, HostKeyCheck check) {
    String server = serverName.orElse("SERVER");
    String presented = check.presented().algorithm() + " key " + check.presented().fingerprint();
    return switch (check.outcome()) {
      case UNKNOWN -> new AuthException("host key of " + target.address() + " is not known: it"
          + " presented the " + presented + ", and " + knownHosts + " has no key for it."
          + " If that is the server's key (check with `ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub`"
          + " on the server), trust it with `we fleet trust " + server + " --fingerprint "
          + check.presented().fingerprint() + "`; nothing was run");
      case CHANGED -> new AuthException("host key of " + target.address() + " has CHANGED: it"
          + " presented the " + presented + ", but " + knownHosts + " lists "
          + String.join(", ", check.known()) + " for it. Refused (it may be an attack or a"
          + " reinstalled server); if the change is expected, remove the old entry with"
          + " `ssh-keygen -R '" + kr.codeb.ssh.HostKey.knownHostsName(target) + "' -f "
          + knownHosts + "` and trust the new key with `we fleet trust " + server
          + " --fingerprint " + check.presented().fingerprint() + "`; nothing was run");
      case REVOKED -> new AuthException("host key of " + target.address() + " ("
          + presented + ") is marked @revoked in " + knownHosts + "; refused, nothing was run");
      case TRUSTED -> throw new IllegalStateException("a trusted key is not a failure");
    };
  }

  /** A failure to reach or talk to the server at all. */
  static CodeBException unreachable(SshTarget target, Throwable e, Duration connectTimeout) {
    Throwable root = rootCause(e);
    String where = "SSH server " + target.address();
    if (root instanceof UnknownHostException) {
      return new UnavailableException(where + " cannot be reached: host name '" + target.host()
          + "' does not resolve (DNS)", e);
    }
    if (root instanceof ConnectException) {
      return new UnavailableException(where + " refused the connection (is sshd running and"
          + " listening on port " + target.port() + "?)", e);
    }
    if (root instanceof NoRouteToHostException) {
      return new UnavailableException(where + " cannot be reached: no route to host", e);
    }
    if (root instanceof SocketTimeoutException) {
      return new UnavailableException(where + " did not answer within the connect timeout of "
          + seconds(connectTimeout), e);
    }
    return new UnavailableException(where + " failed during connect: " + describe(e), e);
  }

  /** A connection that broke during a call; {@code what} names the call, never its arguments. */
  static UnavailableException dropped(SshTarget target, String what, Throwable e, boolean repeated) {
    return new UnavailableException("SSH connection to " + target.address() + " dropped during "
        + what + (repeated ? " (already repeated once on a new connection)"
        : "; not repeated because it may have run (only idempotent calls are repeated)") + ": "
        + describe(e), e);
  }

  /** Whether {@code e} means the SSH connection itself is broken (rather than one call failing). */
  static boolean isConnectionLoss(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TransportException || t instanceof EOFException
          || (t instanceof IllegalStateException && "Not connected".equals(t.getMessage()))
          || t instanceof SocketException
          || (t instanceof ConnectionException && !(t.getMessage() != null
              && t.getMessage().contains("Timeout")))) {
        return true;
      }
    }
    return false;
  }

  /** A short description of an I/O failure: class names and messages of the cause chain. */
  static String describe(Throwable e) {
    StringBuilder b = new StringBuilder();
    java.util.Set<String> seen = new java.util.LinkedHashSet<>();
    for (Throwable t = e; t != null && seen.size() < 4; t = t.getCause()) {
      String m = t.getMessage();
      seen.add(m == null || m.isBlank() ? t.getClass().getSimpleName() : m);
    }
    b.append(seen.stream().collect(Collectors.joining(": ")));
    return b.length() > 300 ? b.substring(0, 300) + "..." : b.toString();
  }

  static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  /** Wraps an unexpected I/O failure of one call. */
  static UnavailableException io(SshTarget target, String what, IOException e) {
    return new UnavailableException(what + " on " + target.address() + " failed: " + describe(e), e);
  }
}
