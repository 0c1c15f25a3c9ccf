package kr.codeb.ssh.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.security.PublicKey;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import kr.codeb.AuthException;
import kr.codeb.CodeBException;
import kr.codeb.InvalidRequestException;
import kr.codeb.UnavailableException;
import kr.codeb.ssh.SshConfig;
import kr.codeb.ssh.SshTarget;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.Resource;

/**
 * Opens authenticated SSH connections: TCP connect, key exchange with the host key checked against
 * known_hosts, public-key login, all within the connect timeout.
 */
public final class Connector {
  /** Seconds between keep-alive messages, so a silently dead connection is noticed. */
  private static final int KEEP_ALIVE_SECONDS = 15;

  private Connector() {}

  /** Opens and authenticates a connection; throws a {@link CodeBException} saying why not. */
  public static LiveConnection open(SshTarget target, SshConfig config) {
    KnownHostsVerifier verifier = new KnownHostsVerifier(config.knownHosts());
    SSHClient client = newClient(verifier, config);
    KeyProvider key;
    try {
      key = loadKey(client, config);
    } catch (RuntimeException e) {
      closeQuietly(client);
      throw e;
    }
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledFuture<?> watchdog = Threads.schedule(() -> {
      timedOut.set(true);
      closeQuietly(client);
    }, config.connectTimeout().toMillis());
    try {
      try {
        client.connect(target.host(), target.port());
      } catch (IOException e) {
        HostKeyCheck check = verifier.lastCheck();
        if (check != null && check.outcome() != HostKeyCheck.Outcome.TRUSTED) {
          throw Failures.hostKeyRefused(target, config, check);
        }
        if (timedOut.get()) {
          throw new UnavailableException("SSH server " + target.address()
              + " did not complete the connection within the connect timeout of "
              + Failures.seconds(config.connectTimeout()), e);
        }
        throw Failures.unreachable(target, e, config.connectTimeout());
      }
      try {
        client.authPublickey(target.user(), key);
      } catch (UserAuthException e) {
        throw new AuthException("SSH login to " + target + " was refused: the user '"
            + target.user() + "' does not exist there or the key " + config.privateKey()
            + " is not in its authorized_keys", e);
      } catch (IOException e) {
        if (timedOut.get()) {
          throw new UnavailableException("SSH login to " + target + " did not complete within the"
              + " connect timeout of " + Failures.seconds(config.connectTimeout()), e);
        }
        throw Failures.unreachable(target, e, config.connectTimeout());
      }
      if (!watchdog.cancel(false) || timedOut.get()) {
        closeQuietly(client);
        throw new UnavailableException("SSH login to " + target + " did not complete within the"
            + " connect timeout of " + Failures.seconds(config.connectTimeout()));
      }
      client.getConnection().getKeepAlive().setKeepAliveInterval(KEEP_ALIVE_SECONDS);
      return new LiveConnection(target, config, client);
    } catch (RuntimeException e) {
      watchdog.cancel(false);
      closeQuietly(client);
      throw e;
    }
  }

  /**
   * Connects only far enough to see the server's host key, trusting nothing and never logging in.
   */
  public static PublicKey presentedKey(SshTarget target, java.time.Duration timeout) {
    java.util.concurrent.atomic.AtomicReference<PublicKey> seen = new java.util.concurrent.atomic.AtomicReference<>();
    HostKeyVerifier capture = new HostKeyVerifier() {
      @Override
      public boolean verify(String hostname, int port, PublicKey key) {
        seen.set(key);
        return false;
      }

      @Override
      public java.util.List<String> findExistingAlgorithms(String hostname, int port) {
        return java.util.List.of();
      }
    };
    SSHClient client = new SSHClient(new DefaultConfig());
    client.addHostKeyVerifier(capture);
    int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    client.setConnectTimeout(ms);
    client.getTransport().setTimeoutMs(ms);
    ScheduledFuture<?> watchdog = Threads.schedule(() -> closeQuietly(client), timeout.toMillis());
    try {
      client.connect(target.host(), target.port());
    } catch (IOException e) {
      if (seen.get() == null) {
        throw Failures.unreachable(target, e, timeout);
      }
    } finally {
      watchdog.cancel(false);
      closeQuietly(client);
    }
    if (seen.get() == null) {
      throw new UnavailableException("SSH server " + target.address() + " presented no host key");
    }
    return seen.get();
  }

  private static SSHClient newClient(HostKeyVerifier verifier, SshConfig config) {
    SSHClient client = new SSHClient(new DefaultConfig());
    client.setSocketFactory(NoDelaySockets.INSTANCE);
    client.addHostKeyVerifier(verifier);
    int ms = (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis());
    client.setConnectTimeout(ms);
    client.getTransport().setTimeoutMs(ms);
    return client;
  }

  /**
   * Reads and decrypts the private key with {@code client}'s key parsers, before it connects,
   * so a bad key fails before any connection.
   */
  private static KeyProvider loadKey(SSHClient client, SshConfig config) {
    var file = config.privateKey();
    if (!Files.isRegularFile(file)) {
      throw new InvalidRequestException("SSH private key file " + file + " does not exist or is"
          + " not a file");
    }
    if (!Files.isReadable(file)) {
      throw new InvalidRequestException("SSH private key file " + file + " is not readable");
    }
    char[] passphrase = config.passphraseVariable().map(variable -> {
      String value = System.getenv(variable);
      if (value == null || value.isEmpty()) {
        throw new InvalidRequestException("environment variable " + variable + " (named to hold"
            + " the passphrase of " + file + ") is not set");
      }
      return value.toCharArray();
    }).orElse(null);
    AtomicBoolean asked = new AtomicBoolean();
    PasswordFinder finder = new PasswordFinder() {
      @Override
      public char[] reqPassword(Resource<?> resource) {
        asked.set(true);
        return passphrase == null ? null : passphrase.clone();
      }

      @Override
      public boolean shouldRetry(Resource<?> resource) {
        return false;
      }
    };
    try {
      KeyProvider provider = client.loadKeys(file.toString(), finder);
      provider.getPrivate();
      provider.getPublic();
      return provider;
    } catch (IOException | RuntimeException e) {
      if (e instanceof CodeBException c) {
        throw c;
      }
      if (passphrase == null && asked.get()) {
        throw new InvalidRequestException("SSH private key " + file + " is encrypted: name the"
            + " environment variable that holds its passphrase (the passphrase itself is never"
            + " written in a config file or URI)");
      }
      if (passphrase != null) {
        throw new AuthException("cannot decrypt SSH private key " + file + " with the passphrase"
            + " from environment variable " + config.passphraseVariable().orElseThrow()
            + " (wrong passphrase?)");
      }
      throw new InvalidRequestException("cannot read SSH private key " + file
          + ": not an OpenSSH, PEM or PuTTY private key (" + e.getClass().getSimpleName() + ")");
    } finally {
      if (passphrase != null) {
        java.util.Arrays.fill(passphrase, '\0');
      }
    }
  }

  static void closeQuietly(SSHClient client) {
    try {
      client.close();
    } catch (IOException | RuntimeException ignored) {
      // closing a broken connection may fail; nothing is left to release then
    }
  }
}
