package kr.codeb.cli.internal;

import java.util.Optional;
import java.util.function.UnaryOperator;

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

  private static Optional<String> pick(
      String flag, UnaryOperator<String> env, String variable, Optional<String> fromConfig) {
    if (flag != null) {
      return Optional.of(flag); // even blank: the store then says what is missing
    }
    String fromEnv = Session.nonBlank(env.apply(variable));
    return fromEnv != null ? Optional.of(fromEnv) : fromConfig;
  }
}
