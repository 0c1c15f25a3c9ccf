package kr.codeb.deploy;

import java.net.InetAddress;

/** Who is acting, for locks and the release history: {@code user@host}. */
public final class Actor {
  private Actor() {}

  /** {@code CODEB_ACTOR} if set (CI sets it), else {@code user@host}. */
  public static String current() {
    String explicit = System.getenv("CODEB_ACTOR");
    if (explicit != null && !explicit.isBlank()) {
      return explicit;
    }
    return System.getProperty("user.name", "unknown") + "@" + host();
  }

  /** This machine's host name, as locks and the history record it. */
  public static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "unknown-host";
    }
  }
}
