package kr.codeb.http.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.List;
import javax.net.SocketFactory;
import okhttp3.Dns;

/**
 * Sockets that connect to a local forward whatever address they are asked for, so that OkHttp
 * keeps the API's own URL (the {@code Host} header, TLS server name and certificate check)
 * while the bytes travel through a forward to the server that runs the API.
 */
final class ForwardedSockets extends SocketFactory {
  private final InetSocketAddress forward;

  ForwardedSockets(int localPort) {
    this.forward = new InetSocketAddress(InetAddress.getLoopbackAddress(), localPort);
  }

  /** Names resolve to loopback: the server resolves nothing, the forward already points there. */
  static Dns loopbackDns() {
    return host -> List.of(InetAddress.getLoopbackAddress());
  }

  @Override
  public Socket createSocket() {
    return new Socket() {
      @Override
      public void connect(SocketAddress endpoint, int timeout) throws IOException {
        super.connect(forward, timeout);
      }
    };
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected();
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return connected();
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected();
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress,
      int localPort) throws IOException {
    return connected();
  }

  private Socket connected() throws IOException {
    Socket s = createSocket();
    s.connect(forward);
    return s;
  }
}
