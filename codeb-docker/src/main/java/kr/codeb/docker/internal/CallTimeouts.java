package kr.codeb.docker.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderConfig;

/**
 * The call timeout a runtime URI asks for, shared by the engine factories (Docker, Podman):
 * {@code call-timeout=} on the URI ({@code 500ms}, {@code 20s}, {@code 2m}), else the engine's
 * variable in the config's environment. Reads no more than the config; does no I/O.
 */
public final class CallTimeouts {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");

  private CallTimeouts() {}

  /**
   * The call timeout {@code config} names: its URI's {@code call-timeout=}, else
   * {@code variable} from its environment; empty when neither is set.
   *
   * @throws InvalidRequestException when the value is not a positive whole number of
   *     {@code ms}, {@code s} or {@code m}; the message names where it came from and the value
   */
  public static Optional<Duration> of(ProviderConfig config, String variable) {
    String value = config.query("call-timeout").orElse("");
    String from = "call-timeout=";
    if (value.isBlank()) {
      value = Objects.requireNonNullElse(config.environment().apply(variable), "");
      from = variable + " ";
    }
    if (value.isBlank()) {
      return Optional.empty();
    }
    Matcher m = DURATION.matcher(value.strip());
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new InvalidRequestException(from + Checks.quote(value) + " is not a"
          + " positive duration such as 500ms, 20s or 2m");
    }
    long n = Long.parseLong(m.group(1));
    return Optional.of(switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      default -> Duration.ofMinutes(n);
    });
  }
}
