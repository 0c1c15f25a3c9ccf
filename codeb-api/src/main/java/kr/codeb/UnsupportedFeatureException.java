package kr.codeb;

/** The provider cannot do what was asked (for example a feature its version lacks). */
public final class UnsupportedFeatureException extends CodeBException {
  private static final long serialVersionUID = 1L;

  public UnsupportedFeatureException(String message) {
    this(message, null, 0, null);
  }

  public UnsupportedFeatureException(String message, Throwable cause) {
    this(message, null, 0, cause);
  }

  public UnsupportedFeatureException(String message, String provider, int httpStatus, Throwable cause) {
    super(message, provider, httpStatus, cause);
  }

  @Override
  public boolean isRetryable() {
    return false;
  }

  @Override
  public String kind() {
    return "unsupported";
  }
}
