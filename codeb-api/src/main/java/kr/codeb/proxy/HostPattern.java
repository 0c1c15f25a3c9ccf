package kr.codeb.proxy;

import java.util.Locale;

/**
 * Host patterns as a reverse proxy's host matcher compares them: label by label, where a
 * {@code *} label stands for any one label and a lone {@code *} for every host, without regard
 * to case. {@code x.a.test} and {@code *.a.test} overlap (either way round), so do
 * {@code *.a.test} and {@code x.*.test}; {@code a.b.a.test} and {@code *.a.test} do not.
 */
public final class HostPattern {
  private HostPattern() {}

  /** Whether some host is matched by both {@code a} and {@code b}. */
  public static boolean overlap(String a, String b) {
    String x = a.toLowerCase(Locale.ROOT);
    String y = b.toLowerCase(Locale.ROOT);
    if (x.equals("*") || y.equals("*")) {
      return true;
    }
    String[] xs = x.split("\\.", -1);
    String[] ys = y.split("\\.", -1);
    if (xs.length != ys.length) {
      return false;
    }
    for (int i = 0; i < xs.length; i++) {
      if (!xs[i].equals(ys[i]) && !xs[i].equals("*") && !ys[i].equals("*")) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code pattern} matches the concrete {@code host}. */
  public static boolean matches(String pattern, String host) {
    return overlap(pattern, host);
  }
}
