package kr.codeb.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An answer: a 2xx, or a status the call accepted.
 *
 * @param status the HTTP status
 * @param headers the response's headers and then its trailers, by lower-case name
 * @param body the whole body (empty when there was none)
 */
public record ApiAnswer(int status, Map<String, List<String>> headers, byte[] body) {
  public ApiAnswer {
    Objects.requireNonNull(headers, "headers");
    headers = Map.copyOf(headers);
    body = Objects.requireNonNull(body, "body").clone();
  }

  /** The first value of a header (or trailer), by name in any case. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  /** The body as UTF-8 text. */
  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  public boolean successful() {
    return status >= 200 && status < 300;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApiAnswer a && status == a.status && headers.equals(a.headers)
        && java.util.Arrays.equals(body, a.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, headers, java.util.Arrays.hashCode(body));
  }

  @Override
  public String toString() {
    return "ApiAnswer[" + status + ", " + body.length + " bytes]";
  }
}
