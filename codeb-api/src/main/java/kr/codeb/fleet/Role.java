package kr.codeb.fleet;

import java.util.Locale;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;

/** What a server does in the fleet. */
public enum Role {
  /** Runs the app containers (blue and green per project). */
  APP,
  /** Runs the Postgres and Redis containers. */
  STORAGE,
  /** Runs Caddy (TLS, reverse proxy) and PowerDNS. */
  EDGE;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role parse(String id) {
    for (Role r : values()) {
      if (r.id().equals(id)) {
        return r;
      }
    }
    throw new InvalidRequestException(
        "unknown server role " + Checks.quote(id) + ": allowed are app, storage, edge");
  }

  @Override
  public String toString() {
    return id();
  }
}
