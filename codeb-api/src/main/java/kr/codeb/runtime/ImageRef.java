package kr.codeb.runtime;

import java.util.regex.Pattern;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;

/** Checks image references ({@code ghcr.io/acme/web:1.2}, {@code localhost/app@sha256:...}). */
public final class ImageRef {
  // registry[:port]/path[:tag][@digest], lower-case path components as the distribution spec says.
  private static final Pattern REF = Pattern.compile(
      "([a-zA-Z0-9.-]+(:[0-9]+)?/)?[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*"
          + "(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?");

  private ImageRef() {}

  /** Returns the reference if it is well-formed, else throws naming the expected form. */
  public static String check(String ref) {
    if (ref == null || ref.length() > 512 || !REF.matcher(ref).matches()) {
      throw new InvalidRequestException("invalid image reference " + Checks.quote(ref)
          + ": expected [registry/]name[:tag][@sha256:digest] with no spaces, e.g."
          + " ghcr.io/acme/web:1.2");
    }
    return ref;
  }
}
