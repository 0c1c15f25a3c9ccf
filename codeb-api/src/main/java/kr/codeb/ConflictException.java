package kr.codeb;

/** The stored state changed under the caller (a stale revision), or the request collides with existing state (a held lock, an exhausted port range). */
public final class ConflictException extends CodeBException {
  private static final long serialVersionUID = 1L;

  public ConflictException(String message) {
    this(message, null, 0, null);
  }

  public ConflictException(String message, Throwable cause) {
    this(message, null, 0, cause);
  }

  public ConflictException(String message, String provider, int httpStatus, Throwable cause) {
    super(message, provider, httpStatus, cause);
  }

  @Override
  public boolean isRetryable() {
    return false;
  }

  @Override
  public String kind() {
    return "conflict";
  }
}
