package kr.codeb.cli;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * HTTP/1.1 through the reverse proxy over raw sockets, so the {@code Host} header can be set
 * (java.net.http forbids it): one request per new connection, or requests on one kept-alive
 * connection. Plus {@link Load}, a background client that sends requests all the time and
 * counts what came back.
 */
final class ProxyTraffic {
  /**
   * How long one request may take before it counts as failed. The scenarios count lost requests;
   * a request answered late is not lost. Runs on Docker have shown, rarely, a stall of more than
   * 5 s for requests to the live slot at the moment a failed slot was stopped, so the limit is
   * well above that.
   */
  private static final int TIMEOUT_MS = 30_000;

  private ProxyTraffic() {}

  /** One answer: the status and the body, stripped of surrounding white space. */
  record Answer(int status, String body, boolean close) {}

  /** GET {@code path} on a new connection ({@code Connection: close}). */
  static Answer get(int port, String host, String path) throws IOException {
    try (Socket socket = connect(port)) {
      OutputStream out = socket.getOutputStream();
      out.write(request(host, path, true));
      out.flush();
      return read(socket.getInputStream(), new int[1]);
    }
  }

  private static Socket connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(TIMEOUT_MS);
    socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
    return socket;
  }

  private static byte[] request(String host, String path, boolean close) {
    return ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: codeb-e2e\r\n"
        + (close ? "Connection: close\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Reads one response; {@code read[0]} counts the bytes seen, so a caller can tell a
   * connection closed before any answer from one that broke in the middle of it.
   */
  private static Answer read(InputStream in, int[] read) throws IOException {
    String statusLine = line(in, read);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP status line: '" + statusLine + "'");
    }
    int status = Integer.parseInt(parts[1]);
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String h = line(in, read); !h.isEmpty(); h = line(in, read)) {
      int colon = h.indexOf(':');
      if (colon > 0) {
        headers.put(h.substring(0, colon).strip(), h.substring(colon + 1).strip());
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String length = headers.get("Content-Length");
    boolean chunked = headers.getOrDefault("Transfer-Encoding", "")
        .toLowerCase(Locale.ROOT).contains("chunked");
    boolean close = headers.getOrDefault("Connection", "").equalsIgnoreCase("close")
        || parts[0].equals("HTTP/1.0");
    if (chunked) {
      while (true) {
        String size = line(in, read);
        int semicolon = size.indexOf(';');
        int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
        if (n == 0) {
          for (String t = line(in, read); !t.isEmpty(); t = line(in, read)) {
            // trailers: ignored
          }
          break;
        }
        copy(in, body, n, read);
        line(in, read);
      }
    } else if (length != null) {
      copy(in, body, Integer.parseInt(length), read);
    } else if (status >= 200 && status != 204 && status != 304) {
      close = true; // the body runs to the end of the connection
      byte[] buf = new byte[4096];
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        body.write(buf, 0, n);
        read[0] += n;
      }
    }
    return new Answer(status, body.toString(StandardCharsets.UTF_8).strip(), close);
  }

  private static String line(InputStream in, int[] read) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed after " + read[0] + " bytes of the answer");
      }
      read[0]++;
      if (b == '\n') {
        int end = sb.length();
        if (end > 0 && sb.charAt(end - 1) == '\r') {
          sb.setLength(end - 1);
        }
        return sb.toString();
      }
      sb.append((char) b);
    }
  }

  private static void copy(InputStream in, ByteArrayOutputStream to, int n, int[] read)
      throws IOException {
    byte[] bytes = in.readNBytes(n);
    read[0] += bytes.length;
    if (bytes.length < n) {
      throw new EOFException("connection closed in the body (" + bytes.length + " of " + n + ")");
    }
    to.write(bytes);
  }

  /**
   * One kept-alive connection, opened on first use and again after the server closed it. A
   * request that fails is not retried (it is counted by {@link Load}); the connection is
   * dropped and the next request opens a new one.
   */
  static final class KeepAlive implements AutoCloseable {
    private final int port;
    private final String host;
    private Socket socket;
    private int usedTimes;
    int connections;

    KeepAlive(int port, String host) {
      this.port = port;
      this.host = host;
    }

    /**
     * GET {@code path} on the kept connection.
     *
     * @throws StaleConnection when a reused connection was closed before any byte of the answer
     *     (the server closed an idle connection as the request went out)
     */
    Answer get(String path) throws IOException {
      if (socket == null) {
        socket = connect(port);
        usedTimes = 0;
        connections++;
      }
      int[] read = new int[1];
      boolean reused = usedTimes > 0;
      try {
        socket.getOutputStream().write(request(host, path, false));
        socket.getOutputStream().flush();
        Answer answer = read(socket.getInputStream(), read);
        usedTimes++;
        if (answer.close()) {
          close();
        }
        return answer;
      } catch (IOException e) {
        close();
        if (reused && read[0] == 0) {
          throw new StaleConnection(e);
        }
        throw e;
      }
    }

    @Override
    public void close() {
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // closing anyway
        }
        socket = null;
      }
    }
  }

  /** A reused keep-alive connection the server had closed: no byte of an answer came. */
  static final class StaleConnection extends IOException {
    StaleConnection(IOException cause) {
      super("reused keep-alive connection closed before the answer: " + cause.getMessage(), cause);
    }
  }

  /** How a request is sent: one call, one answer or an exception. */
  interface Client extends AutoCloseable {
    Answer get() throws IOException;

    @Override
    default void close() {}
  }

  /**
   * A background client: sends requests one after another (a short pause between them) until
   * {@link #close}, and sorts every outcome: answers 200 with an expected body ({@code good}),
   * answers 200 with any other body ({@code wrong} — traffic went somewhere it must not),
   * answers with another status, and requests that got no answer at all ({@code errors},
   * {@code stale} for a closed keep-alive connection).
   */
  static final class Load implements AutoCloseable {
    private static final int SAMPLES = 10;
    /** A request slower than this is listed by itself in the summary. */
    private static final long SLOW_MS = 1_000;

    final String name;
    private final Client client;
    private final Thread thread;
    private final AtomicReference<Set<String>> expected;
    private final long t0 = System.nanoTime();
    private volatile boolean running = true;
    final AtomicInteger total = new AtomicInteger();
    final AtomicInteger good = new AtomicInteger();
    final AtomicInteger wrong = new AtomicInteger();
    final AtomicInteger badStatus = new AtomicInteger();
    final AtomicInteger errors = new AtomicInteger();
    final AtomicInteger stale = new AtomicInteger();
    private final Map<String, Integer> bodies = Collections.synchronizedMap(new TreeMap<>());
    private final List<String> samples = Collections.synchronizedList(new ArrayList<>());
    /** Every request's time to its outcome, in microseconds, in the order they were sent. */
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    /** The requests that took longer than {@link #SLOW_MS}: when they started, how long. */
    private final List<String> slow = Collections.synchronizedList(new ArrayList<>());

    private Load(String name, Client client, Set<String> expected) {
      this.name = name;
      this.client = client;
      this.expected = new AtomicReference<>(Set.copyOf(expected));
      this.thread = new Thread(this::loop, "e2e-load-" + name);
      this.thread.setDaemon(true);
    }

    /** Starts a client that opens a new connection for every request. */
    static Load newConnections(int port, String host, Set<String> expected) {
      return start(new Load("new-connection", () -> get(port, host, "/"), expected));
    }

    /** Starts a client that sends every request on one kept-alive connection. */
    static Load keepAlive(int port, String host, Set<String> expected) {
      KeepAlive connection = new KeepAlive(port, host);
      return start(new Load("keep-alive", new Client() {
        @Override
        public Answer get() throws IOException {
          return connection.get("/");
        }

        @Override
        public void close() {
          connection.close();
        }
      }, expected));
    }

    private static Load start(Load load) {
      load.thread.start();
      return load;
    }

    /** Milliseconds since this client started (to line its problems up with other events). */
    long millis() {
      return (System.nanoTime() - t0) / 1_000_000;
    }

    private void loop() {
      while (running) {
        total.incrementAndGet();
        String at = millis() + " ms";
        long sent = System.nanoTime();
        try {
          Answer a = client.get();
          took(at, sent, "HTTP " + a.status());
          bodies.merge(a.status() + " " + a.body(), 1, Integer::sum);
          if (a.status() != 200) {
            badStatus.incrementAndGet();
            sample(at + ": HTTP " + a.status() + " " + a.body());
          } else if (expected.get().contains(a.body())) {
            good.incrementAndGet();
          } else {
            wrong.incrementAndGet();
            sample(at + ": unexpected body '" + a.body() + "' (expected one of " + expected.get()
                + ")");
          }
        } catch (StaleConnection e) {
          took(at, sent, "stale connection");
          stale.incrementAndGet();
          sample(at + ": " + e.getMessage());
        } catch (IOException | RuntimeException e) {
          took(at, sent, e.getClass().getSimpleName());
          errors.incrementAndGet();
          sample(at + ": " + e);
        }
        try {
          Thread.sleep(3);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    private void took(String at, long sent, String outcome) {
      long micros = (System.nanoTime() - sent) / 1_000;
      latencies.add(micros);
      if (micros > SLOW_MS * 1_000 && slow.size() < SAMPLES) {
        slow.add("sent at " + at + ": " + outcome + " after " + micros / 1_000 + " ms");
      }
    }

    /**
     * The requests' latencies: median, 99th percentile and the slowest, in milliseconds, and
     * every request slower than {@link #SLOW_MS} with when it was sent (to line a stall up with
     * the scenario's steps, whose times {@link #millis} gives).
     */
    String latency() {
      List<Long> sorted;
      synchronized (latencies) {
        sorted = new ArrayList<>(latencies);
      }
      if (sorted.isEmpty()) {
        return "latency: no requests";
      }
      Collections.sort(sorted);
      int n = sorted.size();
      return String.format(Locale.ROOT, "latency ms: p50=%.1f p99=%.1f max=%.1f slow(>%d ms)=%s",
          sorted.get(n / 2) / 1000.0, sorted.get(Math.min(n - 1, (int) (n * 0.99))) / 1000.0,
          sorted.get(n - 1) / 1000.0, SLOW_MS, slow);
    }

    private void sample(String what) {
      if (samples.size() < SAMPLES) {
        samples.add(what);
      }
    }

    /** How often each answer ({@code "STATUS BODY"}) came. */
    Map<String, Integer> answers() {
      synchronized (bodies) {
        return Map.copyOf(bodies);
      }
    }

    /** Requests that got no answer at all: errors and stale connections. */
    int unanswered() {
      return errors.get() + stale.get();
    }

    /** Requests that got no good answer: errors, stale connections and non-200 statuses. */
    int failed() {
      return errors.get() + stale.get() + badStatus.get();
    }

    /** A one-line account, for the test log and assertion messages. */
    String summary() {
      return name + ": total=" + total.get() + " failed=" + failed() + " (errors="
          + errors.get() + " stale-keepalive=" + stale.get() + " non-200=" + badStatus.get()
          + ") wrong=" + wrong.get() + " answers=" + bodies + " " + latency()
          + (samples.isEmpty() ? "" : " first problems=" + samples);
    }

    /** Stops the client and waits for its last request. */
    @Override
    public void close() {
      running = false;
      try {
        thread.join(TIMEOUT_MS * 3L);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      client.close();
    }
  }
}
