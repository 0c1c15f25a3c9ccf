package kr.codeb.ssh.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.function.Consumer;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.ssh.Tunnel;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.LocalPortForwarder;
import net.schmizz.sshj.connection.channel.direct.Parameters;

/**
 * sshj's {@link LocalPortForwarder} on a free loopback port, accepting in its own daemon thread;
 * each accepted connection gets its own direct-tcpip channel, so several can be open at once.
 */
final class LocalTunnel implements Tunnel {
  private static final String LOOPBACK = "127.0.0.1";

  private final ServerSocket socket;
  private final LocalPortForwarder forwarder;
  private final String remoteHost;
  private final int remotePort;
  private final Consumer<LocalTunnel> onClose;
  private volatile boolean closed;

  private LocalTunnel(ServerSocket socket, LocalPortForwarder forwarder, String remoteHost,
      int remotePort, Consumer<LocalTunnel> onClose) {
    this.socket = socket;
    this.forwarder = forwarder;
    this.remoteHost = remoteHost;
    this.remotePort = remotePort;
    this.onClose = onClose;
  }

  static LocalTunnel open(SSHClient client, String remoteHost, int remotePort,
      Consumer<LocalTunnel> onClose) throws IOException {
    checkHost(remoteHost);
    Checks.port("remote port", remotePort);
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
    Parameters parameters = new Parameters(LOOPBACK, socket.getLocalPort(), remoteHost, remotePort);
    LocalPortForwarder forwarder = client.newLocalPortForwarder(parameters, socket);
    LocalTunnel tunnel = new LocalTunnel(socket, forwarder, remoteHost, remotePort, onClose);
    Threads.daemon("codeb-ssh-tunnel-" + socket.getLocalPort(), () -> {
      try {
        forwarder.listen();
      } catch (IOException e) {
        // the server socket was closed (tunnel or connection closed): the tunnel ends
      } finally {
        tunnel.close();
      }
    }).start();
    return tunnel;
  }

  static void checkHost(String host) {
    if (host == null || !host.matches("[A-Za-z0-9._:-]{1,253}")) {
      throw new InvalidRequestException("invalid tunnel destination host "
          + (host == null ? "(none)" : "'" + (host.length() > 64 ? host.substring(0, 64) + "..." : host) + "'")
          + ": use an IP address or host name as seen from the server (e.g. 127.0.0.1)");
    }
  }

  @Override
  public String localHost() {
    return LOOPBACK;
  }

  @Override
  public int localPort() {
    return socket.getLocalPort();
  }

  @Override
  public String remoteHost() {
    return remoteHost;
  }

  @Override
  public int remotePort() {
    return remotePort;
  }

  @Override
  public boolean isOpen() {
    return !closed && !socket.isClosed();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      forwarder.close();
    } catch (IOException | RuntimeException ignored) {
      // closing the listening socket is all that is left to do
    }
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
    onClose.accept(this);
  }

  @Override
  public String toString() {
    return "Tunnel[" + LOOPBACK + ":" + socket.getLocalPort() + " -> " + remoteHost + ":" + remotePort + "]";
  }
}
