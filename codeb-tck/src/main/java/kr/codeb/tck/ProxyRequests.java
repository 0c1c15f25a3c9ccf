package kr.codeb.tck;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import kr.codeb.tck.ProxyContractFixtures.Reply;

/**
 * The requests {@link ReverseProxyContract} sends through a proxy: a plain HTTP/1.1 GET on a
 * fresh socket, so that nothing (no client pool, no keep-alive) stands between the test and
 * what the proxy answers for a Host header.
 */
final class ProxyRequests {
  private ProxyRequests() {}

  /** A GET of {@code /} through {@code endpoint} with the given Host header, on a fresh connection. */
  static Reply get(URI endpoint, String host) {
    return parse(exchange(endpoint, host));
  }

  /**
   * The raw answer to a GET of {@code /} on a fresh connection. A connection reset before any
   * answer is tried once more: during Caddy's graceful reload after a config change, a new
   * connection can rarely be accepted by the server being retired and reset (see
   * docs/adapters.md), and a client retries an idempotent GET as browsers do. The contracts
   * check what the proxy answers; dropped requests are counted by the load tests instead.
   */
  private static byte[] exchange(URI endpoint, String host) {
    try {
      try {
        return once(endpoint, host);
      } catch (SocketException e) {
        Thread.sleep(50);
        return once(endpoint, host);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("request for Host " + host + " to " + endpoint + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static byte[] once(URI endpoint, String host) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 5_000);
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: codeb-tck\r\n"
          + "Accept: */*\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return socket.getInputStream().readAllBytes();
    }
  }

  /** A response with its headers (names in lower case). */
  record Answer(int status, java.util.Map<String, String> headers, String body) {}

  /** Like {@link #get}, keeping the response headers. */
  static Answer getWithHeaders(URI endpoint, String host) {
    byte[] raw = exchange(endpoint, host);
    Reply reply = parse(raw);
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
    String[] lines = text.substring(0, text.indexOf("\r\n\r\n")).split("\r\n");
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    return new Answer(reply.status(), headers, reply.body());
  }

  private static Reply parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new AssertionError("not an HTTP response: " + text);
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    boolean chunked = false;
    int length = -1;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i].toLowerCase(Locale.ROOT);
      if (line.startsWith("transfer-encoding:") && line.contains("chunked")) {
        chunked = true;
      } else if (line.startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).trim());
      }
    }
    byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
    if (chunked) {
      body = dechunk(body);
    } else if (length >= 0 && length < body.length) {
      body = java.util.Arrays.copyOf(body, length);
    }
    return new Reply(status, new String(body, StandardCharsets.UTF_8));
  }

  private static byte[] dechunk(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int pos = 0;
    while (pos < data.length) {
      int lineEnd = indexOfCrlf(data, pos);
      String sizeText = new String(data, pos, lineEnd - pos, StandardCharsets.US_ASCII);
      int semicolon = sizeText.indexOf(';');
      int size = Integer.parseInt((semicolon < 0 ? sizeText : sizeText.substring(0, semicolon)).trim(), 16);
      if (size == 0) {
        break;
      }
      out.write(data, lineEnd + 2, size);
      pos = lineEnd + 2 + size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOfCrlf(byte[] data, int from) {
    for (int i = from; i + 1 < data.length; i++) {
      if (data[i] == '\r' && data[i + 1] == '\n') {
        return i;
      }
    }
    throw new AssertionError("truncated chunked body");
  }
}
