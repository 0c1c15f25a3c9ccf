package kr.codeb.cli.internal;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The top command. Its options are global: declared here with {@link ScopeType#INHERIT}, so
 * they are accepted before or after any subcommand; each stores into {@link GlobalOptions}.
 */
@Command(
    name = "we", header = "CodeB: deploy web apps blue-green to a small self-hosted fleet.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    footer = {"", "Exit codes: 0 success, 1 problems found or the operation failed,"
        + " 2 bad input or usage."})
final class WeCommand implements Callable<Integer> {
  private final Session session;

  WeCommand(Session session) {
    this.session = session;
  }

  @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "YAML file naming servers, roles and provider URIs (env CODEB_CONFIG).")
  void config(String file) {
    session.options().config = file;
  }

  @Option(names = "--ssot", paramLabel = "URI|PATH", scope = ScopeType.INHERIT,
      description = "The SSOT store; a plain path means a file (env CODEB_SSOT;"
          + " default " + ProviderUris.DEFAULT_SSOT + ").")
  void ssot(String uri) {
    session.options().ssot = uri;
  }

  @Option(names = "--runtime", paramLabel = "URI", scope = ScopeType.INHERIT,
      description = "Container engine, e.g. docker:// (env CODEB_RUNTIME).")
  void runtime(String uri) {
    session.options().runtime = uri;
  }

  @Option(names = "--proxy", paramLabel = "URI", scope = ScopeType.INHERIT,
      description = "Reverse proxy, e.g. caddy+http://127.0.0.1:2019 (env CODEB_PROXY).")
  void proxy(String uri) {
    session.options().proxy = uri;
  }

  @Option(names = "--dns", paramLabel = "URI", scope = ScopeType.INHERIT,
      description = "DNS provider, e.g. powerdns+http://127.0.0.1:8081?server=localhost"
          + " (env CODEB_DNS).")
  void dns(String uri) {
    session.options().dns = uri;
  }

  @Option(names = "--firewall", paramLabel = "URI", scope = ScopeType.INHERIT,
      description = "Firewall provider, e.g. vultr:// (env CODEB_FIREWALL).")
  void firewall(String uri) {
    session.options().firewall = uri;
  }

  @Option(names = "--json", scope = ScopeType.INHERIT,
      description = "Machine-readable output: one JSON document on stdout; errors as JSON on"
          + " stderr.")
  void json(boolean json) {
    session.options().json = json;
  }

  @Override
  public Integer call() {
    return session.missingSubcommand("we");
  }
}
