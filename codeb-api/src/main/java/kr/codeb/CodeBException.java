package kr.codeb;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * The one unchecked exception family of CodeB. Every failure a caller can act on is one of the
 * final subclasses, so a {@code switch} over them is exhaustive.
 *
 * <p>Messages say what went wrong and what is allowed; they never contain a secret.
 */
public abstract sealed class CodeBException extends RuntimeException
    permits NotFoundException, ConflictException, AuthException, RateLimitedException,
        UnavailableException, InvalidRequestException, UnsupportedFeatureException {

  private static final long serialVersionUID = 1L;

  private final String provider;
  private final int httpStatus;

  protected CodeBException(String message, String provider, int httpStatus, Throwable cause) {
    super(message, cause);
    this.provider = provider;
    this.httpStatus = httpStatus;
  }

  /** The provider that failed (for example {@code caddy} or {@code file}), when one did. */
  public Optional<String> provider() {
    return Optional.ofNullable(provider);
  }

  /** The HTTP status the provider answered with, when the failure came from an HTTP call. */
  public OptionalInt httpStatus() {
    return httpStatus > 0 ? OptionalInt.of(httpStatus) : OptionalInt.empty();
  }

  /** Whether the same call may succeed if simply repeated later. */
  public abstract boolean isRetryable();

  /** A stable, lower-case name of the kind of failure, used in JSON output. */
  public abstract String kind();
}
