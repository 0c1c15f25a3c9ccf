package kr.codeb.init.internal;

import kr.codeb.AuthException;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.RateLimitedException;
import kr.codeb.UnavailableException;
import kr.codeb.UnsupportedFeatureException;

/** A failure re-told with more context, keeping its kind, provider, status and cause. */
public final class Failures {
  private Failures() {}

  /** The same kind of exception as {@code e} with {@code message}; {@code e} is the cause. */
  public static CodeBException retold(RuntimeException e, String message) {
    if (!(e instanceof CodeBException c)) {
      return new UnavailableException(message, e);
    }
    String provider = c.provider().orElse(null);
    int status = c.httpStatus().orElse(0);
    if (c instanceof NotFoundException) {
      return new NotFoundException(message, provider, status, e);
    } else if (c instanceof ConflictException) {
      return new ConflictException(message, provider, status, e);
    } else if (c instanceof AuthException) {
      return new AuthException(message, provider, status, e);
    } else if (c instanceof RateLimitedException) {
      return new RateLimitedException(message, provider, status, e);
    } else if (c instanceof InvalidRequestException) {
      return new InvalidRequestException(message, provider, status, e);
    } else if (c instanceof UnsupportedFeatureException) {
      return new UnsupportedFeatureException(message, provider, status, e);
    }
    return new UnavailableException(message, provider, status, e);
  }

  /** The failure's own words: the message, else its class (never a stack trace). */
  public static String why(RuntimeException e) {
    return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
        : e.getMessage();
  }
}
