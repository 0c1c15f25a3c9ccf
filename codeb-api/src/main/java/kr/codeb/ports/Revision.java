package kr.codeb.ports;

import java.util.Objects;
import kr.codeb.InvalidRequestException;

/**
 * The version of a stored registry, derived by the store from the stored content (the file
 * store uses a digest of the file's bytes): equal content, equal revision. It is never written
 * into the document.
 */
public record Revision(String value) {
  /** The revision of a registry that has not been read from or written to any store. */
  public static final Revision NONE = new Revision("none");

  public Revision {
    Objects.requireNonNull(value, "revision");
    if (value.isBlank()) {
      throw new InvalidRequestException("a revision must not be blank");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
