package kr.codeb;

/** The thing named does not exist (a project, a route, a zone, a container). */
public final class NotFoundException extends CodeBException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    this(message, null, 0, null);
  }

  public NotFoundException(String message, Throwable cause) {
    this(message, null, 0, cause);
  }

  public NotFoundException(String message, String provider, int httpStatus, Throwable cause) {
    super(message, provider, httpStatus, cause);
  }

  @Override
  public boolean isRetryable() {
    return false;
  }

  @Override
  public String kind() {
    return "not-found";
  }
}
