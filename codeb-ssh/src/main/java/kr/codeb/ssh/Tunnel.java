package kr.codeb.ssh;

import kr.codeb.fleet.ServerLink;

/**
 * A local port forwarding: connections to {@code 127.0.0.1:}{@link #localPort()} are carried over
 * SSH to {@link #remoteHost()}:{@link #remotePort()} as seen from the server. Any number of local
 * connections may be open at once. {@link #close()} stops accepting and closes the listening port
 * (connections already open end with the SSH connection or when either side closes them).
 */
public interface Tunnel extends ServerLink.Forward {
  /** The loopback address the tunnel listens on: always {@code 127.0.0.1}. */
  String localHost();

  /** The local loopback port the tunnel listens on (picked free by the system). */
  int localPort();

  /** The host connections go to, as resolved on the server (e.g. {@code 127.0.0.1}). */
  String remoteHost();

  /** The port connections go to on {@link #remoteHost()}. */
  int remotePort();

  /** Whether the tunnel still accepts connections. */
  boolean isOpen();

  /**
   * Stops listening: once this returns, the local port refuses connections. Idempotent; never
   * throws.
   */
  @Override
  void close();
}
