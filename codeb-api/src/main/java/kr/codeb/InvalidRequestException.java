package kr.codeb;

/** Bad input: a value, option or stored document that breaks a rule. The message names the problem and what is allowed; nothing was written. */
public final class InvalidRequestException extends CodeBException {
  private static final long serialVersionUID = 1L;

  public InvalidRequestException(String message) {
    this(message, null, 0, null);
  }

  public InvalidRequestException(String message, Throwable cause) {
    this(message, null, 0, cause);
  }

  public InvalidRequestException(String message, String provider, int httpStatus, Throwable cause) {
    super(message, provider, httpStatus, cause);
  }

  @Override
  public boolean isRetryable() {
    return false;
  }

  @Override
  public String kind() {
    return "invalid-request";
  }
}
