package kr.codeb.ssh.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Consumer;
import kr.codeb.UnavailableException;
import kr.codeb.fleet.ServerLink;
import kr.codeb.ssh.Tunnel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local listening socket whose every accepted connection is joined to a new SSH channel
 * ({@code direct-tcpip} for a tunnel, an exec channel for a bridge). Each connection asks the
 * {@link Opener} for its channel, so a connection that dropped since is replaced by the next
 * accepted one. Bytes are copied both ways by two daemon threads per connection; when either
 * side ends, the other is told (EOF), and both are closed once both directions are done.
 */
final class Relay implements Tunnel, ServerLink.Bridge {
  private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
  private static final String LOOPBACK = "127.0.0.1";
  private static final long ACCEPTOR_END_WAIT_MS = 2_000;

  /** Opens the channel for one accepted connection. */
  interface Opener {
    Pipe open();
  }

  /** A channel's two streams and the channel itself. */
  record Pipe(InputStream in, OutputStream out, AutoCloseable channel) {}

  private final ServerSocketChannel server;
  private final Opener opener;
  private final String remoteHost;
  private final int remotePort;
  private final Path socketFolder;
  private final Consumer<Relay> onClose;
  private final int localPort;
  private volatile boolean closed;
  private volatile Thread acceptor;

  private Relay(ServerSocketChannel server, Opener opener, String remoteHost, int remotePort,
      Path socketFolder, Consumer<Relay> onClose) {
    this.server = server;
    this.opener = opener;
    this.remoteHost = remoteHost;
    this.remotePort = remotePort;
    this.socketFolder = socketFolder;
    this.onClose = onClose;
    this.localPort = portOf(server);
  }

  private static int portOf(ServerSocketChannel server) {
    try {
      return server.getLocalAddress() instanceof InetSocketAddress a ? a.getPort() : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  /** A relay listening on a free port of 127.0.0.1 (a tunnel to {@code host:port}). */
  static Relay tcp(String host, int port, Opener opener, Consumer<Relay> onClose) {
    try {
      ServerSocketChannel server = ServerSocketChannel.open();
      server.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
      return start(new Relay(server, opener, host, port, null, onClose));
    } catch (IOException e) {
      throw new UnavailableException("cannot listen on " + LOOPBACK + " for a tunnel to " + host
          + ":" + port + ": " + Failures.describe(e), e);
    }
  }

  /**
   * A relay listening on a Unix socket in a new folder that only this user may enter (mode
   * 0700), so no other local user can use the server's engine through it.
   */
  static Relay unix(String what, Opener opener, Consumer<Relay> onClose) {
    try {
      Path folder = Files.createTempDirectory("codeb-bridge-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(folder.resolve("engine.sock")));
      return start(new Relay(server, opener, what, 0, folder, onClose));
    } catch (IOException e) {
      throw new UnavailableException("cannot create a local socket for " + what + ": "
          + Failures.describe(e), e);
    }
  }

  private static Relay start(Relay relay) {
    relay.acceptor = Threads.daemon("codeb-ssh-relay", relay::acceptLoop);
    relay.acceptor.start();
    return relay;
  }

  private void acceptLoop() {
    try {
      while (!closed) {
        SocketChannel local = server.accept();
        noDelay(local);
        Threads.submit(() -> {
          join(local);
          return null;
        });
      }
    } catch (IOException e) {
      // the listening socket was closed: the relay ends
    } finally {
      close();
    }
  }

  /** A TCP client's small requests (HTTP through a tunnel) go out at once, as over SSH. */
  private static void noDelay(SocketChannel local) {
    try {
      if (local.getLocalAddress() instanceof InetSocketAddress) {
        local.setOption(StandardSocketOptions.TCP_NODELAY, true);
      }
    } catch (IOException e) {
      // the client is already gone: join() finds out and closes it
    }
  }

  private void join(SocketChannel local) {
    Pipe pipe;
    try {
      pipe = opener.open();
    } catch (RuntimeException e) {
      LOG.warn("relay to {}: {}", describeRemote(), e.getMessage());
      quietly(local);
      return;
    }
    Threads.submit(() -> {
      try {
        copyToRemote(local, pipe.out());
      } finally {
        quietly(pipe.out());
      }
      return null;
    });
    try {
      copyToLocal(pipe.in(), local);
    } finally {
      quietly(local);
      quietly(pipe.channel());
    }
  }

  private static void copyToRemote(SocketChannel local, OutputStream remote) {
    ByteBuffer buf = ByteBuffer.allocate(32 * 1024);
    try {
      while (local.read(buf) >= 0) {
        remote.write(buf.array(), 0, buf.position());
        remote.flush();
        buf.clear();
      }
    } catch (IOException e) {
      // either side closed: the other direction ends too
    }
  }

  private static void copyToLocal(InputStream remote, SocketChannel local) {
    byte[] bytes = new byte[32 * 1024];
    try {
      int n;
      while ((n = remote.read(bytes)) >= 0) {
        ByteBuffer buf = ByteBuffer.wrap(bytes, 0, n);
        while (buf.hasRemaining()) {
          local.write(buf);
        }
      }
      local.shutdownOutput();
    } catch (IOException e) {
      // either side closed
    }
  }

  private String describeRemote() {
    return socketFolder == null ? remoteHost + ":" + remotePort : remoteHost;
  }

  @Override
  public String localHost() {
    return LOOPBACK;
  }

  @Override
  public int localPort() {
    return localPort;
  }

  @Override
  public Path socket() {
    return socketFolder == null ? null : socketFolder.resolve("engine.sock");
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
    return !closed && server.isOpen();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    quietly(server);
    awaitAcceptorEnd();
    if (socketFolder != null) {
      try {
        Files.deleteIfExists(socketFolder.resolve("engine.sock"));
        Files.deleteIfExists(socketFolder);
      } catch (IOException ignored) {
        // a temp folder left behind is harmless
      }
    }
    onClose.accept(this);
  }

  /**
   * Waits (briefly) for the accept thread to leave {@code accept()}. Closing a channel that a
   * thread is blocked on only signals that thread; the kernel keeps the listening socket, and
   * queues new connections on it, until the blocked call returns. Waiting here makes close
   * exact: once it returns, the local port refuses connections.
   */
  private void awaitAcceptorEnd() {
    Thread t = acceptor;
    if (t == null || t == Thread.currentThread()) {
      return;
    }
    try {
      t.join(ACCEPTOR_END_WAIT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void quietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing: nothing left to do
    }
  }

  @Override
  public String toString() {
    return socketFolder == null
        ? "Tunnel[" + LOOPBACK + ":" + localPort() + " -> " + remoteHost + ":" + remotePort + "]"
        : "Bridge[" + socket() + " -> " + remoteHost + "]";
  }
}
