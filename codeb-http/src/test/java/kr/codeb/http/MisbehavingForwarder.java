package kr.codeb.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1 forwarder on 127.0.0.1 in front of a real server, misbehaving the way servers
 * in the field do towards a client that keeps connections alive:
 * <ul>
 *   <li>{@link Mode#HTTP10_CLOSE}: answers as {@code HTTP/1.0}, without {@code Connection:
 *       close}, and closes the connection after every answer;</li>
 *   <li>{@link Mode#IDLE_CLOSE}: keeps connections alive but closes one that stays idle for
 *       {@link #IDLE_MILLIS} ms;</li>
 *   <li>{@link #resetNext}: sends the first half of the next answers to a method, then resets
 *       the connection (RST).</li>
 * </ul>
 * Each request goes to the server on a connection of its own ({@code Connection: close}, with
 * the {@code Host} the server expects), and the answer is read whole before it is relayed.
 */
public final class MisbehavingForwarder implements AutoCloseable {
  public static final int IDLE_MILLIS = 1000;

  /** How the forwarder treats connections. */
  public enum Mode { HTTP10_CLOSE, IDLE_CLOSE }

  private final URI target;
  private final Mode mode;
  private final ServerSocket server;
  private final AtomicInteger connections = new AtomicInteger();
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());
  private String resetMethod;
  private int resets;
  private final Thread acceptor;

  public MisbehavingForwarder(URI target, Mode mode) throws IOException {
    this.target = target;
    this.mode = mode;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::accept, "forwarder-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** {@code http://127.0.0.1:PORT}, the forwarder's own address. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  public int port() {
    return server.getLocalPort();
  }

  /** How many client connections were accepted. */
  public int connections() {
    return connections.get();
  }

  /** "METHOD /path" of every request relayed, in order. */
  public List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** The next {@code times} answers to {@code method} are cut off halfway by a reset. */
  public synchronized void resetNext(String method, int times) {
    resetMethod = method;
    resets = times;
  }

  private synchronized boolean takeReset(String method) {
    if (resets > 0 && method.equals(resetMethod)) {
      resets--;
      return true;
    }
    return false;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        connections.incrementAndGet();
        open.add(client);
        Thread t = new Thread(() -> serve(client), "forwarder-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      while (true) {
        client.setSoTimeout(mode == Mode.IDLE_CLOSE ? IDLE_MILLIS : 30_000);
        byte[] head;
        try {
          head = readHead(in);
        } catch (SocketTimeoutException idle) {
          return; // idle too long: close, as a server with a keep-alive timeout does
        }
        if (head == null) {
          return;
        }
        client.setSoTimeout(30_000);
        String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r\n");
        String method = lines[0].split(" ")[0];
        requests.add(method + " " + lines[0].split(" ")[1]);
        byte[] body = in.readNBytes(contentLength(lines));
        byte[] answer = relay(lines, body);
        if (takeReset(method)) {
          out.write(answer, 0, cut(answer));
          out.flush();
          client.setSoLinger(true, 0);
          return;
        }
        out.write(answer);
        out.flush();
        if (mode == Mode.HTTP10_CLOSE) {
          return;
        }
      }
    } catch (IOException e) {
      // the client went away
    } finally {
      open.remove(client);
    }
  }

  /** Where to cut an answer: halfway into its body, or into its head when it has none. */
  private static int cut(byte[] answer) {
    int headEnd = indexOf(answer, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)) + 4;
    int bodyLength = answer.length - headEnd;
    return bodyLength > 1 ? headEnd + bodyLength / 2 : headEnd / 2;
  }

  private byte[] relay(String[] lines, byte[] body) throws IOException {
    StringBuilder request = new StringBuilder(lines[0]).append("\r\n");
    for (int i = 1; i < lines.length; i++) {
      String name = lines[i].substring(0, Math.max(0, lines[i].indexOf(':')))
          .toLowerCase(Locale.ROOT);
      if (!name.equals("connection") && !name.equals("keep-alive") && !name.equals("host")) {
        request.append(lines[i]).append("\r\n");
      }
    }
    request.append("Host: ").append(target.getHost()).append(':').append(target.getPort())
        .append("\r\nConnection: close\r\n\r\n");
    byte[] raw;
    try (Socket upstream = new Socket()) {
      upstream.connect(new InetSocketAddress(target.getHost(), target.getPort()), 5000);
      upstream.setSoTimeout(30_000);
      upstream.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      upstream.getOutputStream().write(body);
      upstream.getOutputStream().flush();
      raw = upstream.getInputStream().readAllBytes();
    }
    int headEnd = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    String[] answerLines = new String(raw, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
    byte[] answerBody = java.util.Arrays.copyOfRange(raw, headEnd + 4, raw.length);
    StringBuilder answer = new StringBuilder(mode == Mode.HTTP10_CLOSE
        ? answerLines[0].replaceFirst("^HTTP/1\\.1", "HTTP/1.0") : answerLines[0]).append("\r\n");
    boolean framed = false;
    for (int i = 1; i < answerLines.length; i++) {
      String name = answerLines[i].substring(0, Math.max(0, answerLines[i].indexOf(':')))
          .toLowerCase(Locale.ROOT);
      if (name.equals("connection") || name.equals("keep-alive")) {
        continue;
      }
      framed |= name.equals("content-length") || name.equals("transfer-encoding");
      answer.append(answerLines[i]).append("\r\n");
    }
    if (!framed) {
      answer.append("Content-Length: ").append(answerBody.length).append("\r\n");
    }
    answer.append("\r\n");
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.write(answer.toString().getBytes(StandardCharsets.ISO_8859_1));
    all.write(answerBody);
    return all.toByteArray();
  }

  private static int contentLength(String[] lines) {
    for (String line : lines) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return 0;
  }

  /** The request head up to the empty line, or null when the client closed first. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      state = b == '\r' ? (state == 2 ? 3 : 1) : b == '\n' ? (state == 1 ? 2 : state == 3 ? 4 : 0) : 0;
      if (state == 4) {
        byte[] bytes = head.toByteArray();
        return java.util.Arrays.copyOf(bytes, bytes.length - 4);
      }
    }
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (open) {
      for (Socket s : open) {
        s.close();
      }
    }
  }
}
