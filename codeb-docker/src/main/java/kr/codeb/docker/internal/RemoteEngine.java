package kr.codeb.docker.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderConfig;
import kr.codeb.ProviderRegistry;
import kr.codeb.fleet.ServerLink;
import kr.codeb.fleet.SshEndpoint;

/**
 * An engine on another server, reached the way Docker's own CLI reaches one over SSH: every
 * connection docker-java opens to a local Unix socket runs {@code docker system dial-stdio}
 * ({@code podman system dial-stdio}) on the server, which joins it to the engine's own socket.
 * docker-java needs nothing but a Unix socket, the server needs nothing but the engine's CLI and
 * sshd, and the engine's socket is never exposed on the network.
 */
public final class RemoteEngine implements AutoCloseable {
  /** The variable naming the private key file for {@code docker+ssh://} URIs. */
  public static final String KEY_VARIABLE = "CODEB_SSH_KEY";
  /** The variable naming the known_hosts file for {@code docker+ssh://} URIs. */
  public static final String KNOWN_HOSTS_VARIABLE = "CODEB_SSH_KNOWN_HOSTS";
  /** The variable holding the key's passphrase for {@code docker+ssh://} URIs. */
  public static final String PASSPHRASE_VARIABLE = "CODEB_SSH_KEY_PASSPHRASE";

  private final ServerLink link;
  private final boolean ownsLink;
  private final ServerLink.Bridge bridge;
  private final String cli;

  private RemoteEngine(ServerLink link, boolean ownsLink, ServerLink.Bridge bridge, String cli) {
    this.link = link;
    this.ownsLink = ownsLink;
    this.bridge = bridge;
    this.cli = cli;
  }

  /**
   * Bridges {@code cli} ({@code docker} or {@code podman}) on the server: with {@code socket},
   * the engine listening there, else the CLI's default. Closes {@code link} when this closes
   * only if {@code ownsLink}.
   */
  public static RemoteEngine open(ServerLink link, boolean ownsLink, String cli,
      Optional<Path> socket) {
    Objects.requireNonNull(link, "link");
    String hostFlag = cli.equals("podman") ? "--url" : "--host";
    String command = cli + socket.map(s -> " " + hostFlag + " unix://" + s).orElse("")
        + " system dial-stdio";
    try {
      return new RemoteEngine(link, ownsLink, link.bridge(command), cli);
    } catch (RuntimeException e) {
      if (ownsLink) {
        link.close();
      }
      throw e;
    }
  }

  /**
   * The link a {@code docker+ssh://user@host[:port]} URI names, opened now. The key file comes
   * from {@link #KEY_VARIABLE} (default: the user's usual keys), the known_hosts file from
   * {@link #KNOWN_HOSTS_VARIABLE} (default {@code ~/.ssh/known_hosts}), the key's passphrase, if
   * any, from {@link #PASSPHRASE_VARIABLE}.
   */
  public static ServerLink linkOf(ProviderConfig config, String example) {
    URI uri = config.uri();
    if (uri.getHost() == null || uri.getUserInfo() == null
        || uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
      throw new InvalidRequestException("unsupported URI '" + uri + "': expected " + example
          + " (a user is required)");
    }
    SshEndpoint endpoint = SshEndpoint.of(uri.getUserInfo(), uri.getHost(),
        uri.getPort() < 0 ? SshEndpoint.DEFAULT_PORT : uri.getPort());
    String key = config.environment().apply(KEY_VARIABLE);
    if (key != null && !key.isBlank()) {
      String passphrase = config.environment().apply(PASSPHRASE_VARIABLE);
      endpoint = endpoint.withPrivateKey(Path.of(key), passphrase == null || passphrase.isEmpty()
          ? Optional.empty() : Optional.of(PASSPHRASE_VARIABLE));
    }
    String knownHosts = config.environment().apply(KNOWN_HOSTS_VARIABLE);
    if (knownHosts != null && !knownHosts.isBlank()) {
      endpoint = endpoint.withKnownHosts(Path.of(knownHosts));
    }
    return ProviderRegistry.load(config.environment()).serverLink(endpoint);
  }

  /** The local socket docker-java connects to. */
  public URI host() {
    return URI.create("unix://" + bridge.socket());
  }

  /** Where the engine is, for messages: {@code docker on app1 (root@10.0.0.10:22)}. */
  public String location() {
    return cli + " on " + link.endpoint().serverName() + " (" + link.endpoint().address() + ")";
  }

  @Override
  public void close() {
    bridge.close();
    if (ownsLink) {
      link.close();
    }
  }
}
