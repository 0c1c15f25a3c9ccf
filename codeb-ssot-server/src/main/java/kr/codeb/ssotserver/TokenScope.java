package kr.codeb.ssotserver;

import java.util.Locale;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;

/** What a bearer token may do on the SSOT server. */
public enum TokenScope {
  /** {@code GET /api/port/get}, {@code GET /api/ssot}, {@code GET /api/check}. */
  READ,
  /** {@code POST /api/port/allocate} and {@code POST /api/port/release} (reading too). */
  ALLOCATE,
  /**
   * {@code POST /api/ssot/repair} (reading too): a repair may rewrite or drop records of any
   * project, so a runner's allocate token cannot do it.
   */
  REPAIR;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The scope named {@code id} ({@code read}, {@code allocate}, {@code repair}); anything else is bad input. */
  public static TokenScope of(String id) {
    for (TokenScope s : values()) {
      if (s.id().equals(id)) {
        return s;
      }
    }
    throw new InvalidRequestException("unknown token scope " + Checks.quote(id)
        + ": use read, allocate or repair");
  }
}
