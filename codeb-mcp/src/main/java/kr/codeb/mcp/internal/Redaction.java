package kr.codeb.mcp.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The last guard before anything leaves the server (results, progress, logs): every value
 * known to be secret is replaced by {@value #MASK}. The library already keeps secrets out of
 * what it says; this catches what a container or an engine may echo (a health answer, an error
 * text). Secrets are the values of the call's app environment and of the server's own
 * environment variables whose names say they are secret (KEY, TOKEN, PASSWORD, SECRET, ...).
 */
final class Redaction {
  static final String MASK = "[redacted]";
  /** Shorter values are too common to mask without garbling everything else. */
  private static final int MIN_LENGTH = 4;
  private static final List<String> SECRET_NAME_PARTS = List.of("KEY", "TOKEN", "PASSWORD",
      "PASSWD", "SECRET", "CREDENTIAL", "PASSPHRASE", "AUTH");

  private final Set<String> secrets;

  private Redaction(Set<String> secrets) {
    this.secrets = secrets;
  }

  /** The secrets among the server's own environment variables. */
  static Redaction ofEnvironment(Map<String, String> env) {
    Set<String> s = new TreeSet<>(Comparator.comparingInt(String::length).reversed()
        .thenComparing(Comparator.naturalOrder()));
    env.forEach((name, value) -> {
      String upper = name.toUpperCase(java.util.Locale.ROOT);
      if (value != null && value.length() >= MIN_LENGTH
          && SECRET_NAME_PARTS.stream().anyMatch(upper::contains)) {
        s.add(value);
      }
    });
    return new Redaction(s);
  }

  /** These secrets and {@code more} (an app's environment values). */
  Redaction with(Iterable<String> more) {
    Set<String> s = new TreeSet<>(Comparator.comparingInt(String::length).reversed()
        .thenComparing(Comparator.naturalOrder()));
    s.addAll(secrets);
    more.forEach(v -> {
      if (v != null && v.length() >= MIN_LENGTH) {
        s.add(v);
      }
    });
    return new Redaction(s);
  }

  String apply(String text) {
    if (text == null || secrets.isEmpty()) {
      return text;
    }
    String out = text;
    for (String secret : secrets) { // longest first: a secret inside another is masked whole
      if (out.contains(secret)) {
        out = out.replace(secret, MASK);
      }
    }
    return out;
  }
}
