package kr.codeb.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** One HTTP GET, reporting the status or why there was none. Never throws for I/O. */
public final class HttpProbe {
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(2))
      .build();

  /** The outcome of a probe: the status (0 without an answer) and a short description. */
  public record Answer(int status, String description) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  private HttpProbe() {}

  public static Answer get(URI uri, Duration timeout) {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
        .header("User-Agent", "codeb-health").build();
    try {
      HttpResponse<Void> response = CLIENT.send(request, HttpResponse.BodyHandlers.discarding());
      return new Answer(response.statusCode(), "HTTP " + response.statusCode());
    } catch (HttpTimeoutException e) {
      return new Answer(0, "no answer within " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      return new Answer(0, "connection failed: " + (e.getMessage() == null
          ? e.getClass().getSimpleName() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(0, "interrupted");
    }
  }
}
