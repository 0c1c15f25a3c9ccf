package kr.codeb.caddy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderConfig;

/**
 * Where Caddy's admin API is and what the one HTTP server CodeB manages in it looks like.
 *
 * <p>As a URI: {@code caddy+http://127.0.0.1:2019?listen=127.0.0.1:8080&listen=:8443&server=codeb&auto_https=off}
 * ({@code caddy+https://} for an admin API behind TLS). Parameters:
 * <ul>
 *   <li>{@code listen} (repeatable): the server's listen addresses in Caddy's form
 *       ({@code :80}, {@code 127.0.0.1:8080}); default {@code :80} and {@code :443}.</li>
 *   <li>{@code server}: the name of the server under {@code apps.http.servers}; default
 *       {@code codeb}.</li>
 *   <li>{@code auto_https}: {@code on} (default) leaves Caddy's automatic HTTPS on, which is
 *       what serves the routes' hosts with certificates in production; {@code off} sets
 *       {@code "automatic_https":{"disable":true}} on the server, for a server that listens only
 *       on plain-HTTP ports (tests, a proxy behind another TLS terminator).</li>
 *   <li>{@code tls}: {@code auto} (default) lets Caddy get certificates for the routes' hosts
 *       from its default issuers (ACME: Let's Encrypt, ZeroSSL) once the server listens on an
 *       HTTPS port; {@code internal} makes CodeB keep a TLS automation policy
 *       ({@code @id} {@code codeb-tls-<server>}) whose subjects are the hosts of its routes,
 *       issued by Caddy's internal CA, whose root is never installed into the machine's trust
 *       store ({@code apps.pki.certificate_authorities.local.install_trust: false}): for tests
 *       and private networks. It needs {@code auto_https=on}.</li>
 *   <li>{@code switch}: {@code srv} or {@code reload}, see {@link CaddySwitch}; default
 *       {@code srv} when {@code dns} is given, else {@code reload}. {@code dns} is a DNS
 *       provider URI (URL-encoded, e.g. {@code powerdns%2Bhttp://127.0.0.1:8081}; its API key
 *       from {@code CODEB_POWERDNS_API_KEY}), {@code dns_resolver} the PowerDNS DNS listener
 *       Caddy asks ({@code 127.0.0.1:53}), {@code srv_zone} the zone of the records (default
 *       {@code codeb-switch.internal.}), {@code srv_refresh_ms} Caddy's re-resolve interval
 *       in milliseconds, 10 to 60000 (default 10).</li>
 *   <li>{@code dns_cache} (optional, {@code switch=srv} only): a serve-stale PowerDNS Recursor's
 *       API ({@code powerdns-recursor%2Bhttp://127.0.0.1:8082}) and {@code dns_cache_resolver}
 *       its DNS listener ({@code 127.0.0.1:5300}, an IP and port), both or neither; its API key
 *       from {@code CODEB_POWERDNS_RECURSOR_API_KEY} (explicit credential
 *       {@code recursor-api-key}). Caddy then asks the cache first and PowerDNS second; see
 *       {@link DnsCache}.</li>
 *   <li>{@code maintenance_dir} (optional): an absolute folder on Caddy's machine (the edge
 *       server when the proxy is reached over SSH, else this machine) where maintenance mode
 *       lives as files: every route then carries a maintenance handler guarded by a
 *       {@code file} matcher, and turning maintenance on or off writes or deletes a flag file
 *       there, never changing Caddy's config (a config change makes Caddy close idle
 *       keep-alive connections). CodeB creates the folder; Caddy must be able to read it.
 *       Without it, maintenance on and off are each one config change.</li>
 * </ul>
 * CodeB owns its server's {@code listen}, {@code automatic_https}, 404 catch-all route and (with
 * {@code tls=internal}) its TLS policy: every route write sets them to what these settings say,
 * also on a server made earlier with other settings.
 *
 * @param admin the admin API, as {@code http://127.0.0.1:2019}
 * @param listen the server's listen addresses (at least one)
 * @param server the server's name in {@code apps.http.servers}
 * @param automaticHttps whether Caddy's automatic HTTPS stays on for the server
 * @param timeout how long one admin call may take (a config change waits for Caddy's reload)
 * @param switching how routes are switched
 * @param maintenanceDir the {@code maintenance_dir} folder, or empty
 */
public record CaddyConfig(
    URI admin, List<String> listen, String server, boolean automaticHttps, String tls,
    Duration timeout, CaddySwitch switching, String maintenanceDir) {

  /** TLS from Caddy's default (ACME) issuers. */
  public static final String TLS_AUTO = "auto";
  /** TLS from Caddy's internal CA, with a policy CodeB keeps for its routes' hosts. */
  public static final String TLS_INTERNAL = "internal";

  /** The listen addresses when none are given. */
  public static final List<String> DEFAULT_LISTEN = List.of(":80", ":443");
  /** The server name when none is given. */
  public static final String DEFAULT_SERVER = "codeb";

  private static final Pattern LISTEN = Pattern.compile(
      "((tcp|tcp4|tcp6)/)?(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]*):[0-9]{1,5}(-[0-9]{1,5})?");
  private static final Pattern SERVER = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern MAINTENANCE_DIR = Pattern.compile("(/[A-Za-z0-9._-]+)+/?");
  private static final Set<String> PARAMS = Set.of("listen", "server", "auto_https", "tls", "switch", "dns",
      "dns_resolver", "srv_zone", "srv_refresh_ms", "dns_cache", "dns_cache_resolver",
      "maintenance_dir");

  public CaddyConfig {
    Objects.requireNonNull(admin, "admin");
    String scheme = admin.getScheme() == null ? "" : admin.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || admin.getHost() == null
        || admin.getRawUserInfo() != null
        || !(admin.getRawPath() == null || admin.getRawPath().isEmpty() || admin.getRawPath().equals("/"))) {
      throw new InvalidRequestException("invalid Caddy admin address '" + admin
          + "': use http://HOST:PORT or https://HOST:PORT without a path (e.g. http://127.0.0.1:2019)");
    }
    admin = URI.create(scheme + "://" + admin.getRawAuthority());
    listen = List.copyOf(listen);
    if (listen.isEmpty()) {
      throw new InvalidRequestException("the Caddy server needs at least one listen address"
          + " (e.g. listen=:80 or listen=127.0.0.1:8080)");
    }
    for (String address : listen) {
      if (!LISTEN.matcher(address).matches()) {
        throw new InvalidRequestException("invalid Caddy listen address '" + address
            + "': use [HOST]:PORT as Caddy writes it (e.g. :80, 127.0.0.1:8080, [::1]:8080)");
      }
    }
    if (server == null || !SERVER.matcher(server).matches()) {
      throw new InvalidRequestException("invalid Caddy server name '" + server
          + "': use 1-64 letters, digits, '_' or '-' (e.g. codeb)");
    }
    if (!TLS_AUTO.equals(tls) && !TLS_INTERNAL.equals(tls)) {
      throw new InvalidRequestException("Caddy tls must be 'auto' or 'internal', not '" + tls + "'");
    }
    if (TLS_INTERNAL.equals(tls) && !automaticHttps) {
      throw new InvalidRequestException("tls=internal needs auto_https=on: Caddy only manages"
          + " certificates for a server with automatic HTTPS");
    }
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new InvalidRequestException("the Caddy admin timeout must be positive, not " + timeout);
    }
    Objects.requireNonNull(switching, "switching");
    maintenanceDir = maintenanceDir == null ? "" : maintenanceDir;
    if (!maintenanceDir.isEmpty() && (!MAINTENANCE_DIR.matcher(maintenanceDir).matches()
        || maintenanceDir.contains("/../") || maintenanceDir.endsWith("/..")
        || maintenanceDir.contains("/./") || maintenanceDir.endsWith("/."))) {
      throw new InvalidRequestException("invalid maintenance_dir " + Checks.quote(maintenanceDir)
          + ": give an absolute folder path of letters, digits, '.', '_', '-' and '/', without"
          + " '.' or '..' parts (e.g. /var/lib/codeb/maintenance)");
    }
    if (maintenanceDir.length() > 1 && maintenanceDir.endsWith("/")) {
      maintenanceDir = maintenanceDir.substring(0, maintenanceDir.length() - 1);
    }
  }

  /** The same without a maintenance folder: maintenance mode is a config change. */
  public CaddyConfig(URI admin, List<String> listen, String server, boolean automaticHttps,
      String tls, Duration timeout, CaddySwitch switching) {
    this(admin, listen, server, automaticHttps, tls, timeout, switching, "");
  }

  /** The same with the reload switch. */
  public CaddyConfig(URI admin, List<String> listen, String server, boolean automaticHttps,
      String tls, Duration timeout) {
    this(admin, listen, server, automaticHttps, tls, timeout, CaddySwitch.reload());
  }

  /** The same without a TLS mode: {@code tls=auto}. */
  public CaddyConfig(
      URI admin, List<String> listen, String server, boolean automaticHttps, Duration timeout) {
    this(admin, listen, server, automaticHttps, TLS_AUTO, timeout);
  }

  /** Whether CodeB keeps an internal-issuer TLS policy for its routes' hosts. */
  public boolean internalTls() {
    return TLS_INTERNAL.equals(tls);
  }

  /** The defaults for an admin API: listen on {@code :80} and {@code :443}, server {@code codeb}. */
  public static CaddyConfig of(URI admin) {
    return new CaddyConfig(admin, DEFAULT_LISTEN, DEFAULT_SERVER, true, Duration.ofSeconds(30));
  }

  public CaddyConfig withListen(List<String> addresses) {
    return new CaddyConfig(admin, addresses, server, automaticHttps, tls, timeout, switching,
        maintenanceDir);
  }

  /** {@link #TLS_AUTO} or {@link #TLS_INTERNAL}. */
  public CaddyConfig withTls(String mode) {
    return new CaddyConfig(admin, listen, server, automaticHttps, mode, timeout, switching,
        maintenanceDir);
  }

  public CaddyConfig withServer(String name) {
    return new CaddyConfig(admin, listen, name, automaticHttps, tls, timeout, switching,
        maintenanceDir);
  }

  public CaddyConfig withAutomaticHttps(boolean on) {
    return new CaddyConfig(admin, listen, server, on, tls, timeout, switching,
        maintenanceDir);
  }

  /** How routes are switched: {@link CaddySwitch}. */
  public CaddyConfig withSwitching(CaddySwitch how) {
    return new CaddyConfig(admin, listen, server, automaticHttps, tls, timeout, how,
        maintenanceDir);
  }

  /**
   * With maintenance mode kept in files in {@code dir} on Caddy's machine (see
   * {@link CaddyProxy}); empty for maintenance as a config change.
   */
  public CaddyConfig withMaintenanceDir(String dir) {
    return new CaddyConfig(admin, listen, server, automaticHttps, tls, timeout, switching, dir);
  }

  /** Whether maintenance mode is kept in files on Caddy's machine rather than in its config. */
  public boolean maintenanceInFiles() {
    return !maintenanceDir.isEmpty();
  }

  public CaddyConfig withTimeout(Duration limit) {
    return new CaddyConfig(admin, listen, server, automaticHttps, tls, limit, switching,
        maintenanceDir);
  }

  private static Duration refreshMillis(String ms) {
    try {
      return Duration.ofMillis(Long.parseLong(ms));
    } catch (NumberFormatException e) {
      throw new InvalidRequestException("srv_refresh_ms must be a whole number of milliseconds"
          + " between 10 and 60000, not '" + ms + "'");
    }
  }

  /** {@code dns_cache} + {@code dns_cache_resolver} + the key, or empty when neither is given. */
  private static java.util.Optional<DnsCache> cache(ProviderConfig config) {
    java.util.Optional<String> api = config.query("dns_cache");
    java.util.Optional<String> resolver = config.query("dns_cache_resolver");
    if (api.isEmpty() && resolver.isEmpty()) {
      return java.util.Optional.empty();
    }
    if (api.isEmpty() || resolver.isEmpty()) {
      throw new InvalidRequestException("dns_cache and dns_cache_resolver go together: the"
          + " recursor's API (dns_cache=" + DnsCache.SCHEME + "%2Bhttp://127.0.0.1:8082) and its"
          + " DNS listener (dns_cache_resolver=127.0.0.1:5300); " + (api.isEmpty()
              ? "dns_cache is missing" : "dns_cache_resolver is missing"));
    }
    URI cacheApi = DnsCache.apiOf(api.get());
    kr.codeb.Secret key = config.secret("powerdns", "recursor-api-key").orElseThrow(() ->
        new InvalidRequestException("dns_cache needs the recursor's API key: set"
            + " CODEB_POWERDNS_RECURSOR_API_KEY (never in the URI)"));
    return java.util.Optional.of(DnsCache.of(cacheApi, resolver.get(), key));
  }

  /** The URI for a message, quoted, with any user-info (a password) masked, also in the query. */
  private static String shown(URI uri) {
    return Checks.quote(Checks.redactedUri(uri.toString()));
  }

  /**
   * Reads a {@code caddy+http://} or {@code caddy+https://} URI (see the class comment).
   *
   * @throws InvalidRequestException if the URI does not have that form
   */
  public static CaddyConfig from(ProviderConfig config) {
    URI uri = config.uri();
    String scheme = config.scheme();
    if (!scheme.equals("caddy+http") && !scheme.equals("caddy+https")) {
      throw new InvalidRequestException("not a Caddy URI: " + shown(uri)
          + " (use caddy+http://127.0.0.1:2019?listen=:80)");
    }
    if (uri.getHost() == null || uri.getPort() < 0) {
      throw new InvalidRequestException("Caddy URI " + shown(uri) + " needs the admin API's host and"
          + " port (e.g. caddy+http://127.0.0.1:2019)");
    }
    String query = uri.getRawQuery();
    if (query != null) {
      for (String pair : query.split("&")) {
        String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
        if (!pair.isEmpty() && !PARAMS.contains(key)) {
          throw new InvalidRequestException("unknown Caddy URI parameter '" + key
              + "' in " + shown(uri) + "; known: listen, server, auto_https, tls, switch, dns, dns_resolver, srv_zone,"
              + " srv_refresh_ms, dns_cache, dns_cache_resolver, maintenance_dir");
        }
      }
    }
    List<String> listen = config.queryAll("listen");
    String autoHttps = config.query("auto_https").orElse("on").toLowerCase(Locale.ROOT);
    if (!autoHttps.equals("on") && !autoHttps.equals("off")) {
      throw new InvalidRequestException("auto_https must be 'on' or 'off', not '" + autoHttps + "'");
    }
    URI admin = URI.create(scheme.substring("caddy+".length()) + "://" + uri.getRawAuthority());
    java.util.Optional<URI> dns = config.query("dns").map(URI::create);
    CaddySwitch.Mode mode = config.query("switch").map(CaddySwitch.Mode::parse)
        .orElse(dns.isPresent() ? CaddySwitch.Mode.SRV : CaddySwitch.Mode.RELOAD);
    CaddySwitch switching = new CaddySwitch(mode, dns, config.query("dns_resolver").orElse(""),
        config.query("srv_zone").map(kr.codeb.model.DnsName::of).orElse(CaddySwitch.DEFAULT_ZONE),
        config.query("srv_refresh_ms").map(CaddyConfig::refreshMillis)
            .orElse(CaddySwitch.DEFAULT_REFRESH), cache(config));
    return new CaddyConfig(admin, listen.isEmpty() ? DEFAULT_LISTEN : listen,
        config.query("server").orElse(DEFAULT_SERVER), autoHttps.equals("on"),
        config.query("tls").orElse(TLS_AUTO).toLowerCase(Locale.ROOT), Duration.ofSeconds(30),
        switching, config.query("maintenance_dir").orElse(""));
  }
}
