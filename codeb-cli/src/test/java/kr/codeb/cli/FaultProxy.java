package kr.codeb.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP proxy on 127.0.0.1 in front of one of the test environment's HTTP APIs (Caddy's admin,
 * PowerDNS), whose behaviour a test switches while a command runs:
 * {@link Mode#PASS} forwards each request (one per connection, {@code Host} rewritten to the
 * target's); {@link Mode#STALL} accepts connections and never
 * answers nor forwards (a timeout); {@link Mode#HTTP_503} and {@link Mode#HTTP_429} read the
 * request head and answer that status ({@code Retry-After: 1} with 429) and close;
 * {@link Mode#RESET} accepts and resets the connection; {@link Mode#STALL_WRITES} passes GET
 * and HEAD requests (one per connection: {@code Connection: close} is added) and stalls any
 * other, so a command can read (plan) and then hang in the middle of its change (apply). Switching the mode closes every open
 * connection, so a pooled keep-alive connection cannot bypass the fault.
 */
final class FaultProxy implements AutoCloseable {
  enum Mode { PASS, STALL, STALL_WRITES, HTTP_503, HTTP_429, RESET }

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fault-proxy");
    t.setDaemon(true);
    return t;
  });
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile Mode mode = Mode.PASS;

  FaultProxy(String targetHost, int targetPort) throws IOException {
    target = new InetSocketAddress(targetHost, targetPort);
    listener = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    threads.execute(this::acceptLoop);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** {@code http://127.0.0.1:PORT}: the API's address through this proxy. */
  String url() {
    return "http://127.0.0.1:" + port();
  }

  Mode mode() {
    return mode;
  }

  void mode(Mode next) {
    mode = next;
    for (Socket s : open) {
      closeSocket(s);
    }
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      open.add(client);
      threads.execute(() -> serve(client, mode));
    }
  }

  private void serve(Socket client, Mode now) {
    try {
      switch (now) {
        case PASS -> httpPass(client, false);
        case STALL -> client.getInputStream().transferTo(OutputStream.nullOutputStream());
        case STALL_WRITES -> httpPass(client, true);
        case HTTP_503 -> answer(client, 503, "Service Unavailable", null);
        case HTTP_429 -> answer(client, 429, "Too Many Requests", "1");
        case RESET -> {
          client.setSoLinger(true, 0);
          client.close();
        }
        default -> throw new IllegalStateException(now.toString());
      }
    } catch (IOException e) {
      // the client or the mode switch closed the connection: nothing more to do for it
      open.remove(client);
    } finally {
      open.remove(client);
      closeSocket(client);
    }
  }

  /**
   * Forwards one HTTP request per connection ({@code Connection: close} is added) with the
   * {@code Host} header set to the target's address: Caddy's admin API refuses any other host.
   * With {@code stallWrites}, a request other than GET or HEAD is never forwarded.
   */
  private void httpPass(Socket client, boolean stallWrites) throws IOException {
    String head = readHead(client.getInputStream());
    if (head == null) {
      return;
    }
    String method = head.substring(0, Math.max(0, head.indexOf(' ')));
    if (stallWrites && !method.equals("GET") && !method.equals("HEAD")) {
      client.getInputStream().transferTo(OutputStream.nullOutputStream());
      return;
    }
    StringBuilder rewritten = new StringBuilder();
    for (String line : head.split("\r\n")) {
      String lower = line.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("host:")) {
        rewritten.append("Host: ").append(target.getHostString()).append(':')
            .append(target.getPort()).append("\r\n");
      } else if (!lower.startsWith("connection:") && !line.isEmpty()) {
        rewritten.append(line).append("\r\n");
      }
    }
    rewritten.append("Connection: close\r\n\r\n");
    Socket upstream = new Socket();
    open.add(upstream);
    try {
      upstream.connect(target, 5000);
      upstream.getOutputStream().write(rewritten.toString().getBytes(StandardCharsets.ISO_8859_1));
      upstream.getOutputStream().flush();
      InputStream body = client.getInputStream();
      OutputStream toUpstream = upstream.getOutputStream();
      threads.execute(() -> {
        try {
          body.transferTo(toUpstream);
        } catch (IOException e) {
          closeSocket(upstream);
        }
      });
      upstream.getInputStream().transferTo(client.getOutputStream());
    } finally {
      open.remove(upstream);
      closeSocket(upstream);
    }
  }

  /** The request head up to and including the blank line, or null at end of stream. */
  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.append((char) b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString();
  }

  private static void answer(Socket client, int status, String reason, String retryAfter)
      throws IOException {
    if (readHead(client.getInputStream()) == null) {
      return;
    }
    String body = "{\"error\":\"" + reason + " (injected)\",\"status\":" + status + "}";
    String head = "HTTP/1.1 " + status + " " + reason + "\r\n"
        + "Content-Type: application/json\r\n"
        + (retryAfter == null ? "" : "Retry-After: " + retryAfter + "\r\n")
        + "Content-Length: " + body.length() + "\r\n"
        + "Connection: close\r\n\r\n";
    OutputStream out = client.getOutputStream();
    out.write((head + body).getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static void closeSocket(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      throw new IllegalStateException("closing a proxied connection failed", e);
    }
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (SocketException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    mode(Mode.PASS);
    threads.shutdownNow();
  }
}
