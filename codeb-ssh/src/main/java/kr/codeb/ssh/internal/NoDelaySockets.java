package kr.codeb.ssh.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Sockets with Nagle's algorithm off, for SSH connections. An SSH exchange is many small
 * packets that each wait for an answer (channel open, exec request, SFTP calls, forwarded
 * Docker and HTTP requests); with Nagle on, a small write behind an unacknowledged one waits
 * for the peer's delayed ACK, about 40 ms on Linux. Measured on loopback: an exec of
 * {@code true} on an open connection took 57 ms with Nagle on and 14 ms with it off.
 */
final class NoDelaySockets extends SocketFactory {
  static final NoDelaySockets INSTANCE = new NoDelaySockets();

  private NoDelaySockets() {}

  @Override
  public Socket createSocket() throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    return socket;
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress,
      int localPort) throws IOException {
    return connected(new InetSocketAddress(address, port),
        new InetSocketAddress(localAddress, localPort));
  }

  private Socket connected(InetSocketAddress to, InetSocketAddress... from) throws IOException {
    Socket socket = createSocket();
    try {
      if (from.length > 0) {
        socket.bind(from[0]);
      }
      socket.connect(to);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }
}
