package kr.codeb.cli.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;

/**
 * The provider URI of each capability, resolved in this order: the command-line flag, the
 * environment variable ({@code CODEB_SSOT}, {@code CODEB_RUNTIME}, ...), the config file, the
 * default. Only the SSOT has a default.
 */
record ProviderUris(
    String ssot,
    Optional<String> runtime,
    Optional<String> proxy,
    Optional<String> dns,
    Optional<String> firewall) {

  static final String DEFAULT_SSOT = "/opt/codeb/registry/ssot.json";

  static ProviderUris resolve(GlobalOptions flags, UnaryOperator<String> env, CliConfig config) {
    String ssot = pick(flags.ssot, env, "CODEB_SSOT", config.ssot())
        .orElse(DEFAULT_SSOT);
    return new ProviderUris(ssot,
        pick(flags.runtime, env, "CODEB_RUNTIME", config.provider("runtime")),
        pick(flags.proxy, env, "CODEB_PROXY", config.provider("proxy")),
        pick(flags.dns, env, "CODEB_DNS", config.provider("dns")),
        pick(flags.firewall, env, "CODEB_FIREWALL", config.provider("firewall")));
  }

  /**
   * The same URIs with a relative SSOT path made absolute against {@code workDir}, the folder
   * of the command line (which is not the JVM's own folder when the daemon runs the line).
   */
  ProviderUris resolvedAgainst(Path workDir) {
    try {
      if (Checks.hasUriScheme(ssot) || ssot.isBlank() || Path.of(ssot).isAbsolute()) {
        return this;
      }
    } catch (InvalidPathException e) {
      throw new InvalidRequestException("the SSOT location " + Checks.quote(ssot) + " is not a"
          + " usable path (" + e.getReason() + "); give a file path or a URI such as"
          + " file:///opt/codeb/registry/ssot.json");
    }
    return new ProviderUris(workDir.resolve(ssot).normalize().toString(), runtime, proxy, dns,
        firewall);
  }

  private static Optional<String> pick(
      String flag, UnaryOperator<String> env, String variable, Optional<String> fromConfig) {
    if (flag != null) {
      return Optional.of(flag); // even blank: the store then says what is missing
    }
    String fromEnv = Session.nonBlank(env.apply(variable));
    return fromEnv != null ? Optional.of(fromEnv) : fromConfig;
  }
}
