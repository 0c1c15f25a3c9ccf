package kr.codeb.http.internal;

import java.util.Locale;

/**
 * Removes a secret from text that an API echoed back: the whole secret and any part of it of
 * {@value #MIN_PART} characters or more, in any letter case (an error body may quote a
 * lower-cased or truncated key). A secret shorter than that is removed only whole.
 */
public final class Redaction {
  public static final int MIN_PART = 8;
  public static final String MARK = "[redacted]";

  private Redaction() {}

  public static String scrub(String text, String secret) {
    if (text == null || text.isEmpty() || secret == null || secret.isEmpty()) {
      return text == null ? "" : text;
    }
    String t = text.toLowerCase(Locale.ROOT);
    String s = secret.toLowerCase(Locale.ROOT);
    if (t.length() != text.length()) {
      t = fold(text);
      s = fold(secret);
    }
    int min = Math.min(MIN_PART, s.length());
    boolean[] hidden = new boolean[text.length()];
    for (int i = 0; i < t.length(); i++) {
      int longest = 0;
      for (int j = 0; j < s.length(); j++) {
        int k = 0;
        while (i + k < t.length() && j + k < s.length() && t.charAt(i + k) == s.charAt(j + k)) {
          k++;
        }
        longest = Math.max(longest, k);
      }
      if (longest >= min) {
        for (int k = 0; k < longest; k++) {
          hidden[i + k] = true;
        }
      }
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      if (!hidden[i]) {
        out.append(text.charAt(i));
      } else if (i == 0 || !hidden[i - 1]) {
        out.append(MARK);
      }
    }
    return out.toString();
  }

  /** Lower case char by char, so indexes stay those of the original text. */
  private static String fold(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      b.append(Character.toLowerCase(text.charAt(i)));
    }
    return b.toString();
  }
}
