package kr.codeb;

/** The provider refused the credentials, or none were found. */
public final class AuthException extends CodeBException {
  private static final long serialVersionUID = 1L;

  public AuthException(String message) {
    this(message, null, 0, null);
  }

  public AuthException(String message, Throwable cause) {
    this(message, null, 0, cause);
  }

  public AuthException(String message, String provider, int httpStatus, Throwable cause) {
    super(message, provider, httpStatus, cause);
  }

  @Override
  public boolean isRetryable() {
    return false;
  }

  @Override
  public String kind() {
    return "auth";
  }
}
