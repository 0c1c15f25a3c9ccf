package kr.codeb;

/** The provider could not be reached or failed on its side (I/O error, timeout, 5xx). */
public final class UnavailableException extends CodeBException {
  private static final long serialVersionUID = 1L;

  public UnavailableException(String message) {
    this(message, null, 0, null);
  }

  public UnavailableException(String message, Throwable cause) {
    this(message, null, 0, cause);
  }

  public UnavailableException(String message, String provider, int httpStatus, Throwable cause) {
    super(message, provider, httpStatus, cause);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }

  @Override
  public String kind() {
    return "unavailable";
  }
}
