package kr.codeb;

/** The provider asked the caller to slow down, and the bounded retries did not get through. */
public final class RateLimitedException extends CodeBException {
  private static final long serialVersionUID = 1L;

  public RateLimitedException(String message) {
    this(message, null, 0, null);
  }

  public RateLimitedException(String message, Throwable cause) {
    this(message, null, 0, cause);
  }

  public RateLimitedException(String message, String provider, int httpStatus, Throwable cause) {
    super(message, provider, httpStatus, cause);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }

  @Override
  public String kind() {
    return "rate-limited";
  }
}
