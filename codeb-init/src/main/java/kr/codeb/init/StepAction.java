package kr.codeb.init;

import java.util.Locale;

/** What a step's plan says it will do, or what it did. */
public enum StepAction {
  /** Nothing of it exists yet: it will be made. */
  CREATE,
  /** Part of it exists and matches; the rest will be added. */
  UPDATE,
  /** It exists as wanted (made by init before, or by hand and adopted): nothing to do. */
  UNCHANGED,
  /** Something exists that does not match; it is reported and left alone, never overwritten. */
  DIFFERS,
  /** Destroy: it was created by init and will be removed. */
  DELETE;

  /** The lower-case name used in output and JSON: {@code create}, {@code differs}, ... */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return id();
  }
}
