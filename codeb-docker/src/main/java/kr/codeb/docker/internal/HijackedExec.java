package kr.codeb.docker.internal;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Starts an exec with its input attached, over a connection of its own: the engine's exec
 * start upgraded to a raw stream. docker-java's transport never closes the write side when the
 * input ends, so a command that reads to the end ({@code cat}) would wait forever; here the end
 * of the caller's input shuts the connection's output down, which the engine passes on as the
 * end of the command's input.
 */
final class HijackedExec {
  private HijackedExec() {}

  /** Runs the created exec {@code execId}; returns when its output ends. */
  static void start(URI engine, String execId, boolean tty, InputStream stdin, OutputStream out,
      OutputStream err) throws IOException {
    try (SocketChannel channel = open(engine)) {
      // Not Channels.newInputStream/newOutputStream: both hold the channel's blocking lock while
      // they block, so a read waiting for output would stop the input from being written.
      OutputStream toEngine = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
        }
      };
      InputStream fromEngine = new InputStream() {
        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return len == 0 ? 0 : channel.read(ByteBuffer.wrap(b, off, len));
        }
      };
      byte[] body = ("{\"Detach\":false,\"Tty\":" + tty + "}").getBytes(StandardCharsets.UTF_8);
      String head = "POST /exec/" + execId + "/start HTTP/1.1\r\n"
          + "Host: docker\r\n"
          + "Content-Type: application/json\r\n"
          + "Connection: Upgrade\r\n"
          + "Upgrade: tcp\r\n"
          + "Content-Length: " + body.length + "\r\n\r\n";
      toEngine.write(head.getBytes(StandardCharsets.US_ASCII));
      toEngine.write(body);
      toEngine.flush();
      String status = readHead(fromEngine);
      if (!status.contains(" 101 ") && !status.contains(" 200 ")) {
        throw new IOException("the engine refused to start the command: " + status);
      }
      Thread pump = new Thread(() -> pump(stdin, toEngine, channel), "codeb-exec-stdin");
      pump.setDaemon(true);
      pump.start();
      if (tty) {
        fromEngine.transferTo(out);
        out.flush();
      } else {
        demultiplex(fromEngine, out, err);
      }
    }
  }

  private static SocketChannel open(URI engine) throws IOException {
    if ("unix".equals(engine.getScheme())) {
      SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
      c.connect(UnixDomainSocketAddress.of(engine.getPath()));
      return c;
    }
    if ("tcp".equals(engine.getScheme()) || "http".equals(engine.getScheme())) {
      return SocketChannel.open(new InetSocketAddress(engine.getHost(), engine.getPort()));
    }
    throw new IOException("cannot attach input over " + engine.getScheme() + "://");
  }

  /** The status line, after reading the whole response head. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the engine closed the connection before answering");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    return text.substring(0, Math.max(0, text.indexOf('\r')));
  }

  private static void pump(InputStream stdin, OutputStream toEngine, SocketChannel channel) {
    try {
      byte[] buffer = new byte[8192];
      for (int n = stdin.read(buffer); n >= 0; n = stdin.read(buffer)) {
        toEngine.write(buffer, 0, n);
        toEngine.flush();
      }
      channel.shutdownOutput();
    } catch (IOException e) {
      // the command ended (connection closed) before its input did: nothing left to pass
    }
  }

  /** Engine frames: 1 byte stream (1 stdout, 2 stderr), 3 zero bytes, 4 bytes size, payload. */
  private static void demultiplex(InputStream in, OutputStream out, OutputStream err)
      throws IOException {
    byte[] header = new byte[8];
    while (in.readNBytes(header, 0, 8) == 8) {
      int size = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16)
          | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
      byte[] payload = in.readNBytes(size);
      OutputStream target = header[0] == 2 ? err : out;
      target.write(payload);
      target.flush();
      if (payload.length < size) {
        break;
      }
    }
  }
}
