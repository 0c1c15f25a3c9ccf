package kr.codeb.deploy.internal;

import kr.codeb.AuthException;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.RateLimitedException;
import kr.codeb.UnavailableException;
import kr.codeb.UnsupportedFeatureException;

/** Failures of one app server's step, retold for a deploy over several servers. */
final class Failures {
  private Failures() {}

  /** The same kind of failure, its message starting with the server's name. */
  static CodeBException onServer(String server, CodeBException e) {
    String message = "on app server " + server + ": " + e.getMessage();
    String provider = e.provider().orElse(null);
    int status = e.httpStatus().orElse(0);
    CodeBException copy;
    if (e instanceof NotFoundException) {
      copy = new NotFoundException(message, provider, status, e);
    } else if (e instanceof ConflictException) {
      copy = new ConflictException(message, provider, status, e);
    } else if (e instanceof AuthException) {
      copy = new AuthException(message, provider, status, e);
    } else if (e instanceof RateLimitedException) {
      copy = new RateLimitedException(message, provider, status, e);
    } else if (e instanceof UnavailableException) {
      copy = new UnavailableException(message, provider, status, e);
    } else if (e instanceof UnsupportedFeatureException) {
      copy = new UnsupportedFeatureException(message, provider, status, e);
    } else {
      copy = new InvalidRequestException(message, provider, status, e);
    }
    return copy;
  }
}
