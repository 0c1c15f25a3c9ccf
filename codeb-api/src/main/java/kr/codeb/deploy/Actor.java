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
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "unknown-host";
    }
    return System.getProperty("user.name", "unknown") + "@" + host;
  }
}
