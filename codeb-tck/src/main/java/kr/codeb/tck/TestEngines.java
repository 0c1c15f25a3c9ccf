package kr.codeb.tck;

import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * How tests find the real engines: only through environment variables ({@code CODEB_TEST_*},
 * written by {@code scripts/test-env.sh up}). The one rule: a test whose variable is missing
 * fails when {@code CI=true} (a CI run must never pass by skipping), and is skipped with a
 * message everywhere else (a laptop without the engines).
 */
public final class TestEngines {
  private TestEngines() {}

  /**
   * The value of {@code var}; when it is missing or blank, fails the test under {@code CI=true}
   * and skips it (a JUnit assumption) otherwise.
   */
  public static String require(String var) {
    return require(var, System.getenv(var), System.getenv("CI"));
  }

  /** The value of {@code var}, if set and not blank (for optional extras; no skip, no failure). */
  public static Optional<String> optional(String var) {
    String value = System.getenv(var);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }

  /** Whether this is a CI run ({@code CI=true}). */
  public static boolean isCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** The same rule over an explicit environment (for testing the rule itself). */
  public static String require(String var, java.util.function.UnaryOperator<String> environment) {
    return require(var, environment.apply(var), environment.apply("CI"));
  }

  private static String require(String var, String value, String ci) {
    if (value != null && !value.isBlank()) {
      return value;
    }
    String message = var + " is not set: start the test engines with `scripts/test-env.sh up`"
        + " and `source /tmp/codeb-test-env/env`";
    if ("true".equalsIgnoreCase(ci)) {
      return Assertions.fail(message + " (CI=true: a missing engine fails the build)");
    }
    return Assumptions.abort(message + " (skipped; with CI=true this fails)");
  }
}
