package kr.codeb.db.internal;

import java.security.SecureRandom;

/**
 * Generated passwords: 32 characters of [A-Za-z0-9] from {@link SecureRandom} (about 190 bits),
 * safe in a URL, a shell word and an SQL literal without escaping.
 */
public final class Passwords {
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();
  public static final int LENGTH = 32;

  private Passwords() {}

  public static String generate() {
    StringBuilder out = new StringBuilder(LENGTH);
    for (int i = 0; i < LENGTH; i++) {
      out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return out.toString();
  }

  /** Whether {@code s} looks like one of ours (what a credentials file may hold). */
  public static boolean valid(String s) {
    return s != null && s.matches("[A-Za-z0-9]{16,128}");
  }
}
