package kr.codeb.model;

import java.util.Locale;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;

/** One of a project's two deploy slots. */
public enum Slot {
  BLUE,
  GREEN;

  /** The name as written in the SSOT and on container labels: {@code blue} or {@code green}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public Slot other() {
    return this == BLUE ? GREEN : BLUE;
  }

  /** Parses {@code blue} or {@code green} (exactly; lower case). */
  public static Slot parse(String id) {
    if ("blue".equals(id)) {
      return BLUE;
    }
    if ("green".equals(id)) {
      return GREEN;
    }
    throw new InvalidRequestException(
        "unknown slot " + Checks.quote(id) + ": allowed are blue, green");
  }

  @Override
  public String toString() {
    return id();
  }
}
