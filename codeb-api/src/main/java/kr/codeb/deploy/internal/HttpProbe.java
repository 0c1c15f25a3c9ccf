package kr.codeb.deploy.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;

/**
 * One HTTP GET, reporting the status or why there was none. Never throws for I/O.
 *
 * <p>{@link HttpURLConnection}, not {@code java.net.http.HttpClient}: a health probe is plain
 * HTTP to a slot's loopback or private port, and the newer client loads the JDK's TLS stack and
 * trust store when it is created (~60–90 ms of every cold {@code we deploy}, docs/benchmarks.md)
 * and starts a selector thread. No proxy is used (a health probe never goes through one), no
 * redirect is followed, and the connection is closed after each probe, so a probe never reuses
 * a socket of a container that was replaced.
 */
public final class HttpProbe {
  /** The outcome of a probe: the status (0 without an answer) and a short description. */
  public record Answer(int status, String description) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  private HttpProbe() {}

  /**
   * GETs {@code uri}; connecting and each read may take up to {@code timeout} (so an answer
   * that trickles in slower than that is "no answer").
   */
  public static Answer get(URI uri, Duration timeout) {
    int ms = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    HttpURLConnection connection = null;
    try {
      connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
      connection.setConnectTimeout(ms);
      connection.setReadTimeout(ms);
      connection.setInstanceFollowRedirects(false);
      connection.setUseCaches(false);
      connection.setRequestProperty("User-Agent", "codeb-health");
      int status = connection.getResponseCode();
      if (status < 0) {
        return new Answer(0, "connection failed: the answer is not HTTP");
      }
      discardBody(connection, status);
      return new Answer(status, "HTTP " + status);
    } catch (SocketTimeoutException e) {
      return new Answer(0, "no answer within " + ms + " ms");
    } catch (IOException | IllegalArgumentException e) {
      return new Answer(0, "connection failed: " + (e.getMessage() == null
          ? e.getClass().getSimpleName() : e.getMessage()));
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
    }
  }

  private static void discardBody(HttpURLConnection connection, int status) throws IOException {
    try (InputStream body = status >= 400 ? connection.getErrorStream()
        : connection.getInputStream()) {
      if (body != null) {
        body.transferTo(OutputStream.nullOutputStream());
      }
    }
  }
}
