package kr.codeb.caddy;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.DnsName;

/**
 * How {@link CaddyProxy} switches a route between blue and green.
 *
 * <ul>
 *   <li>{@code srv}: the route's {@code reverse_proxy} handler takes its upstream from an SRV
 *       record ({@code dynamic_upstreams}, re-resolved every {@code refresh}), which CodeB keeps
 *       in a PowerDNS zone ({@code srv_zone}, served by the DNS server at {@code dns_resolver});
 *       a switch changes the record, not Caddy's config, so Caddy does not reload and no
 *       kept-alive connection is closed. The handler also keeps a static upstream, which Caddy
 *       2.6 uses whenever the SRV lookup fails (PowerDNS down); it is the slot of the route's
 *       last config write. When PowerDNS cannot be written at switch time, CodeB falls back to
 *       the reload switch for that route. With a {@link DnsCache} (a serve-stale PowerDNS
 *       Recursor) Caddy asks the cache first and PowerDNS second, so the live slot keeps its
 *       traffic while either one is down; the static upstream is used only when both are.</li>
 *   <li>{@code reload}: one {@code PATCH} of the handler's upstreams, a graceful config reload
 *       (closes idle kept-alive client connections: a few keep-alive requests fail per
 *       switch).</li>
 * </ul>
 * The default is {@code srv} when a DNS provider URI is given, otherwise {@code reload}.
 *
 * @param mode {@link Mode#SRV} or {@link Mode#RELOAD}
 * @param dns the DNS provider holding the records (e.g. {@code powerdns+http://127.0.0.1:8081});
 *     its API key comes from {@code CODEB_POWERDNS_API_KEY}
 * @param resolver the DNS server Caddy asks ({@code host:port} of PowerDNS's DNS listener)
 * @param zone the zone the SRV and address records live in
 * @param refresh how often Caddy re-resolves the SRV record (10 ms to 60 s; default
 *     {@link #DEFAULT_REFRESH})
 * @param cache the serve-stale cache Caddy asks before {@code resolver}, if any (only with
 *     {@code srv}; its resolver must differ from {@code resolver})
 */
public record CaddySwitch(Mode mode, Optional<URI> dns, String resolver, DnsName zone,
    Duration refresh, Optional<DnsCache> cache) {

  /** The two ways to switch; {@link #parameter()} is the spelling in the proxy URI. */
  public enum Mode {
    SRV("srv"),
    RELOAD("reload");

    private final String parameter;

    Mode(String parameter) {
      this.parameter = parameter;
    }

    /** How the URI's {@code switch} parameter spells it. */
    public String parameter() {
      return parameter;
    }

    /**
     * The mode the URI's {@code switch} parameter names, in any case.
     *
     * @throws InvalidRequestException for anything else, naming what is allowed
     */
    public static Mode parse(String parameter) {
      Objects.requireNonNull(parameter, "switch");
      for (Mode m : values()) {
        if (m.parameter.equalsIgnoreCase(parameter.strip())) {
          return m;
        }
      }
      throw new InvalidRequestException("Caddy switch must be 'srv' or 'reload', not "
          + kr.codeb.Checks.quote(parameter));
    }

    @Override
    public String toString() {
      return parameter;
    }
  }

  public static final DnsName DEFAULT_ZONE = DnsName.of("codeb-switch.internal.");
  /**
   * How often Caddy re-resolves a route's SRV record unless {@code srv_refresh_ms} says
   * otherwise: the shortest interval allowed. Caddy resolves only when a request for the route
   * arrives and its cached answer is older than this, so an idle route costs no queries; a route
   * with traffic costs about one SRV query per interval at the DNS server Caddy asks first.
   */
  public static final Duration DEFAULT_REFRESH = Duration.ofMillis(10);
  /** The shortest and the longest refresh accepted. */
  public static final Duration MIN_REFRESH = Duration.ofMillis(10);
  public static final Duration MAX_REFRESH = Duration.ofSeconds(60);

  public CaddySwitch {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(dns, "dns");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(refresh, "refresh");
    if (mode == Mode.SRV && (dns.isEmpty() || resolver == null || resolver.isBlank())) {
      throw new InvalidRequestException("switch=srv needs dns=<DNS provider URI, e.g."
          + " powerdns+http://127.0.0.1:8081> and dns_resolver=<PowerDNS DNS host:port>");
    }
    if (refresh.compareTo(MIN_REFRESH) < 0 || refresh.compareTo(MAX_REFRESH) > 0) {
      throw new InvalidRequestException("srv_refresh must be between 10ms and 60s, not " + refresh);
    }
    Objects.requireNonNull(cache, "cache");
    if (cache.isPresent() && mode != Mode.SRV) {
      throw new InvalidRequestException("dns_cache only applies to switch=srv (the reload switch"
          + " asks no DNS server); drop dns_cache or use switch=srv");
    }
    if (cache.isPresent() && cache.get().resolver().equals(resolver)) {
      throw new InvalidRequestException("dns_cache_resolver " + resolver + " is the same address"
          + " as dns_resolver: the cache must be a separate server (the PowerDNS Recursor's DNS"
          + " listener), PowerDNS itself is dns_resolver");
    }
  }

  /** The same without a cache. */
  public CaddySwitch(Mode mode, Optional<URI> dns, String resolver, DnsName zone,
      Duration refresh) {
    this(mode, dns, resolver, zone, refresh, Optional.empty());
  }

  /** The reload switch. */
  public static CaddySwitch reload() {
    return new CaddySwitch(Mode.RELOAD, Optional.empty(), "", DEFAULT_ZONE, DEFAULT_REFRESH);
  }

  /** The SRV switch with records in {@code dns}, resolved by Caddy at {@code resolver}. */
  public static CaddySwitch srv(URI dns, String resolver) {
    return new CaddySwitch(Mode.SRV, Optional.of(dns), resolver, DEFAULT_ZONE, DEFAULT_REFRESH);
  }

  public boolean isSrv() {
    return mode == Mode.SRV;
  }

  public CaddySwitch withZone(DnsName name) {
    return new CaddySwitch(mode, dns, resolver, name, refresh, cache);
  }

  public CaddySwitch withRefresh(Duration interval) {
    return new CaddySwitch(mode, dns, resolver, zone, interval, cache);
  }

  /** The same with Caddy asking {@code serveStale} before PowerDNS (see {@link DnsCache}). */
  public CaddySwitch withCache(DnsCache serveStale) {
    return new CaddySwitch(mode, dns, resolver, zone, refresh,
        Optional.of(Objects.requireNonNull(serveStale, "serveStale")));
  }
}
