package kr.codeb.ssh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import kr.codeb.InvalidRequestException;
import kr.codeb.fleet.ServerLink;
import kr.codeb.fleet.ServerLinkFactory;
import kr.codeb.fleet.SshEndpoint;
import kr.codeb.ssh.internal.SshServerLink;

/**
 * The SSH transport of {@link kr.codeb.ProviderRegistry#serverLink}: links share one connection
 * per server and login in this process (a {@link SshPool} that closes connections idle for two
 * minutes), so one command, or {@code we daemon}, logs in to each server once.
 */
public final class SshServerLinkFactory implements ServerLinkFactory {
  private static final SshPool SHARED = sharedPool();
  private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_ecdsa", "id_rsa");

  /**
   * The process's pool, closed when the JVM exits: servers see a clean disconnect, and the exit
   * is not held up. HotSpot's exit waits up to 300 ms for threads blocked in a native call,
   * such as sshj's reader on an open connection (measured: {@code we init} ended 0.35 s after
   * its last line with connections left open, 0.01 s with them closed).
   */
  private static SshPool sharedPool() {
    SshPool pool = new SshPool();
    Runtime.getRuntime().addShutdownHook(new Thread(pool::close, "codeb-ssh-exit"));
    return pool;
  }

  @Override
  public ServerLink open(SshEndpoint endpoint, UnaryOperator<String> environment,
      Duration connectTimeout) {
    SshConfig config = config(endpoint).withTimeouts(connectTimeout,
        SshConfig.DEFAULT_COMMAND_TIMEOUT);
    return new SshServerLink(endpoint, SHARED.connection(target(endpoint), config));
  }

  @Override
  public HostKeyInfo presented(SshEndpoint endpoint, Duration timeout) {
    return info(HostKeys.presented(target(endpoint), timeout));
  }

  @Override
  public HostKeyInfo trust(SshEndpoint endpoint, Optional<String> fingerprint, Duration timeout) {
    return info(HostKeys.trust(target(endpoint), knownHosts(endpoint), fingerprint, timeout));
  }

  /** The sshj-side configuration an endpoint stands for. */
  public static SshConfig config(SshEndpoint endpoint) {
    SshConfig config = SshConfig.of(privateKey(endpoint))
        .withKnownHosts(knownHosts(endpoint))
        .withPassphraseVariableIfAny(endpoint.passphraseVariable());
    // An endpoint without a fleet name is named by its host, which is no server name.
    return endpoint.serverName().equals(endpoint.host()) ? config
        : config.withServerName(endpoint.serverName());
  }

  public static SshTarget target(SshEndpoint endpoint) {
    return new SshTarget(endpoint.user(), endpoint.host(), endpoint.port());
  }

  private static Path knownHosts(SshEndpoint endpoint) {
    return endpoint.knownHosts().orElseGet(SshConfig::defaultKnownHosts);
  }

  private static Path privateKey(SshEndpoint endpoint) {
    if (endpoint.privateKey().isPresent()) {
      return endpoint.privateKey().get();
    }
    Path folder = Path.of(System.getProperty("user.home"), ".ssh");
    for (String name : DEFAULT_KEYS) {
      Path key = folder.resolve(name);
      if (Files.isRegularFile(key)) {
        return key;
      }
    }
    throw new InvalidRequestException("no SSH private key for server " + endpoint.serverName()
        + ": none of " + DEFAULT_KEYS + " is in " + folder + "; name one with ssh.key in the"
        + " config file");
  }

  private static HostKeyInfo info(HostKey key) {
    return new HostKeyInfo(key.algorithm(), key.fingerprint());
  }
}
