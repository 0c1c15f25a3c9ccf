package kr.codeb.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP forwarder in front of Caddy's admin API on 127.0.0.1 (the Host header rewritten to
 * the admin API's own) that breaks after a number of
 * requests, as an admin API lost mid-deploy does: it forwards the first {@code k} requests (one
 * upstream connection each) and then either drops every later one unsent
 * ({@link Mode#SERVE_FIRST_K}), or forwards request {@code k + 1} to Caddy but closes the
 * client's connection instead of answering, and serves all later ones
 * ({@link Mode#LOSE_ONE_ANSWER}).
 */
final class AdminForwarder implements AutoCloseable {
  enum Mode { SERVE_FIRST_K, LOSE_ONE_ANSWER }

  private final ServerSocket server;
  private final int targetPort;
  private final Mode mode;
  private final int k;
  private final AtomicInteger requests = new AtomicInteger();
  private final ExecutorService pool = Executors.newCachedThreadPool();

  AdminForwarder(int targetPort, Mode mode, int k) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.targetPort = targetPort;
    this.mode = mode;
    this.k = k;
    pool.submit(this::accept);
  }

  int port() {
    return server.getLocalPort();
  }

  int requests() {
    return requests.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        pool.submit(() -> serve(client));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      while (true) {
        byte[] request = readRequest(in, targetPort);
        if (request == null) {
          return;
        }
        int n = requests.incrementAndGet();
        if (n > k && mode == Mode.SERVE_FIRST_K) {
          return; // never sent: the client sees the connection close
        }
        byte[] response = forward(request);
        if (n == k + 1 && mode == Mode.LOSE_ONE_ANSWER) {
          return; // applied by Caddy, the answer lost
        }
        out.write(response);
        out.flush();
        return; // one request per connection: the answer says Connection: close
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private byte[] forward(byte[] request) throws IOException {
    try (Socket caddy = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
      caddy.getOutputStream().write(request);
      caddy.getOutputStream().flush();
      return caddy.getInputStream().readAllBytes();
    }
  }

  /** One request with {@code Connection: close}, or null at the end of the stream. */
  private static byte[] readRequest(InputStream in, int targetPort) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    StringBuilder rewritten = new StringBuilder();
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.isEmpty()) {
        continue;
      }
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("connection:") || lower.startsWith("keep-alive:")) {
        continue;
      }
      if (lower.startsWith("host:")) {
        line = "Host: 127.0.0.1:" + targetPort; // Caddy's admin API checks the Host it serves
      }
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(line.indexOf(':') + 1).strip());
      }
      rewritten.append(line).append("\r\n");
    }
    rewritten.append("Connection: close\r\n\r\n");
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.write(rewritten.toString().getBytes(StandardCharsets.ISO_8859_1));
    all.write(in.readNBytes(length));
    return all.toByteArray();
  }

  @Override
  public void close() throws IOException {
    server.close();
    pool.shutdownNow();
  }
}
