package kr.codeb.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A keep-alive HTTP/1.1 upstream for the edge benchmark that answers every request with 200 and
 * its name, the whole response in one write (the JDK's HttpServer writes headers and body
 * apart, and Nagle's algorithm with delayed ACKs then adds ~40 ms to every kept-alive request).
 * Requests must have no body (the benchmark's GETs).
 */
final class Backend implements AutoCloseable {
  private final ServerSocket server;

  private Backend(ServerSocket server) {
    this.server = server;
  }

  static Backend start(int port, String name) throws IOException {
    ServerSocket server = new ServerSocket(port, 128, InetAddress.getLoopbackAddress());
    byte[] body = name.getBytes(StandardCharsets.UTF_8);
    byte[] answer = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
        + body.length + "\r\n\r\n" + name).getBytes(StandardCharsets.UTF_8);
    Thread accept = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          s.setTcpNoDelay(true);
          Thread t = new Thread(() -> serve(s, answer));
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return; // closed
        }
      }
    }, "backend-" + name);
    accept.setDaemon(true);
    accept.start();
    return new Backend(server);
  }

  /** Answers each request (headers up to the blank line) until the client closes. */
  private static void serve(Socket s, byte[] answer) {
    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      int state = 0;
      int b;
      while ((b = in.read()) >= 0) {
        // state counts the bytes of "\r\n\r\n" seen in a row.
        state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
            ? state + 1 : (b == '\r' ? 1 : 0);
        if (state == 4) {
          out.write(answer);
          out.flush();
          state = 0;
        }
      }
    } catch (IOException e) {
      // the client went away: nothing to answer
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
