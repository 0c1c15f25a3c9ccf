package kr.codeb.fleet;

import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Opens {@link ServerLink}s and manages the host keys they trust. Found through {@link
 * java.util.ServiceLoader} (codeb-ssh provides it); {@link kr.codeb.ProviderRegistry#serverLink}
 * is the usual way in.
 */
public interface ServerLinkFactory {
  /**
   * A link to {@code endpoint}, logged in now (or sharing a connection already open in this
   * process). The host key must already be trusted: an unknown key fails with {@link
   * kr.codeb.AuthException} naming its fingerprint and {@code we fleet trust SERVER}; a changed
   * key fails naming both. Reads the key passphrase from {@code environment}.
   */
  ServerLink open(SshEndpoint endpoint, UnaryOperator<String> environment, Duration connectTimeout);

  /** The host key the server presents now. Logs in to nothing and trusts nothing. */
  HostKeyInfo presented(SshEndpoint endpoint, Duration timeout);

  /**
   * Records the key the server presents in the endpoint's known_hosts and returns it. With
   * {@code fingerprint} ({@code SHA256:...}) the key must have it, else {@link
   * kr.codeb.AuthException} and nothing is written. A key already trusted is returned as is; a
   * different key already listed for the host is refused naming both (never replaced).
   */
  HostKeyInfo trust(SshEndpoint endpoint, Optional<String> fingerprint, Duration timeout);

  /** A host key: its type ({@code ssh-ed25519}) and SHA-256 fingerprint ({@code SHA256:...}). */
  record HostKeyInfo(String type, String fingerprint) {}
}
