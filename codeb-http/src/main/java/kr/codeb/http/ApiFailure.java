package kr.codeb.http;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.AuthException;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.RateLimitedException;
import kr.codeb.UnavailableException;

/**
 * An answer that is not 2xx and that the call did not accept, before it becomes an exception.
 *
 * @param provider the provider id
 * @param api how messages name the API, with its address ("Vultr API at https://...")
 * @param what the call ("GET /zones")
 * @param status the HTTP status
 * @param message the API's own error text (its {@code error} field, or the start of the body),
 *     with every echo of the credential redacted; empty when there was none
 * @param retryAfter the pause a {@code Retry-After} header asked for
 */
public record ApiFailure(String provider, String api, String what, int status, String message,
    Optional<Duration> retryAfter) {

  public ApiFailure {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(what, "what");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(retryAfter, "retryAfter");
  }

  /** "{api} answered HTTP {status} to {what}: {message}". */
  public String text() {
    return api + " answered HTTP " + status + " to " + what
        + (message.isEmpty() ? "" : ": " + message);
  }

  /**
   * The standard mapping: 401/403 {@link AuthException}, 404 {@link NotFoundException}, 409 and
   * 412 {@link ConflictException}, 429 {@link RateLimitedException} (saying the
   * {@code Retry-After}), 5xx {@link UnavailableException}, any other status
   * {@link InvalidRequestException}; each with the provider id and the status.
   */
  public CodeBException standardException() {
    return standardException(text());
  }

  /** The standard mapping with another message. */
  public CodeBException standardException(String text) {
    if (status == 401 || status == 403) {
      return new AuthException(text, provider, status, null);
    }
    if (status == 404) {
      return new NotFoundException(text, provider, status, null);
    }
    if (status == 409 || status == 412) {
      return new ConflictException(text, provider, status, null);
    }
    if (status == 429) {
      return new RateLimitedException(text + retryAfter.map(d -> " (it asked to wait "
          + d.toSeconds() + " s)").orElse("") + ": too many requests; try again later",
          provider, status, null);
    }
    if (status >= 500) {
      return new UnavailableException(text, provider, status, null);
    }
    return new InvalidRequestException(text, provider, status, null);
  }
}
