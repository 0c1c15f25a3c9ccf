package kr.codeb.caddy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import kr.codeb.ProviderInfo;
import kr.codeb.ProviderRegistry;
import kr.codeb.caddy.internal.AdminClient;
import kr.codeb.caddy.internal.AdminClient.Snapshot;
import kr.codeb.caddy.internal.CaddyMaintenance;
import kr.codeb.caddy.internal.EdgeFiles;
import kr.codeb.caddy.internal.HostMatching;
import kr.codeb.caddy.internal.RouteReader;
import kr.codeb.caddy.internal.ServerEdits;
import kr.codeb.caddy.internal.ServerSettings;
import kr.codeb.caddy.internal.SrvRouteJson;
import kr.codeb.caddy.internal.SrvSwitching;
import kr.codeb.caddy.internal.SwitchConfirmation;
import kr.codeb.caddy.internal.UpstreamSwitch;
import kr.codeb.dns.DnsProvider;
import kr.codeb.fleet.ServerLink;
import kr.codeb.proxy.HostConflict;
import kr.codeb.proxy.Maintenance;
import kr.codeb.proxy.ProxySetting;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;

/**
 * {@link ReverseProxy} on Caddy's admin API (checked against Caddy 2.6.2).
 *
 * <p>CodeB manages one HTTP server in Caddy, {@code apps.http.servers.<server>} (see
 * {@link CaddyConfig}), and creates it — with {@code apps.http} if that is missing — on the first
 * write, next to whatever else the config holds. Every upsert sets what CodeB owns on that
 * server ({@code listen}, {@code automatic_https}, the catch-all, the TLS policy) to what the
 * config says, also on a server made earlier with other settings. Everything CodeB did not create (other apps,
 * other servers, routes without CodeB's ids, even inside CodeB's server) is never rewritten:
 * changes are made element by element at their own path, never by replacing a parent.
 *
 * <p>Each route is {@code @id} {@code codeb-route-<id>} with a {@code host} matcher and one
 * {@code reverse_proxy} handler with {@code @id} {@code codeb-upstream-<id>} (with
 * {@code switch=srv} preceded by a {@code map} handler holding the route's probe token, see
 * {@link #awaitUpstream}). A route without
 * hosts gets the host matcher {@code codeb-no-host.invalid}, a reserved name no client sends,
 * so it matches nothing. The server's last route is a catch-all ({@code @id}
 * {@code codeb-catch-all}) answering 404, so an unknown host never gets Caddy's empty 200; new
 * routes are inserted just before it.
 *
 * <p>Concurrency: every change of the route list reads CodeB's server with its ETag and sends
 * {@code If-Match}; when another editor changed the server in between (412), the change is
 * re-read and retried, a bounded number of times. {@link #switchUpstream} is a single
 * {@code PATCH /id/codeb-upstream-<id>/upstreams}.
 *
 * <p>TLS: with {@code tls=auto} Caddy's automatic HTTPS gets certificates for the routes' hosts
 * from its default issuers whenever the server listens on an HTTPS port. With
 * {@code tls=internal} every route change also keeps the TLS automation policy
 * {@code codeb-tls-<server>} (internal issuer) listing exactly the hosts of CodeB's routes, and
 * sets the local CA's {@code install_trust} to false (see {@link CaddyConfig}). Every change is a graceful reload in Caddy:
 * requests in flight finish on the old upstream.
 *
 * <p>Maintenance mode: a handler first in the route (see {@link CaddyConfig}'s
 * {@code maintenance_dir}); with a maintenance folder, on and off only write or delete files
 * there, on this machine or through the server link, and leave Caddy's config alone.
 *
 * <p>This class wires the parts together: {@link RouteReader} reads CodeB's routes back,
 * {@link ServerEdits} changes CodeB's server (routes, settings, TLS policy),
 * {@link UpstreamSwitch} and {@link SwitchConfirmation} switch upstreams and confirm a switch,
 * {@link CaddyMaintenance} keeps maintenance mode.
 */
public final class CaddyProxy implements ReverseProxy {
  private final CaddyConfig config;
  private final AdminClient admin;
  private final String serverPath;
  private final SrvSwitching srv;
  private final ServerSettings settings;
  private final CaddyMaintenance maintenance;
  private final UpstreamSwitch upstreamSwitch;
  private final RouteReader reader;
  private final ServerEdits edits;

  private CaddyProxy(CaddyConfig config, DnsProvider dns, UnaryOperator<String> environment,
      Optional<ServerLink> server) {
    this.config = config;
    this.admin = new AdminClient(config.admin(), config.timeout(), server);
    this.serverPath = "/config/apps/http/servers/" + config.server();
    this.maintenance = new CaddyMaintenance(admin, config.maintenanceDir(),
        config.maintenanceInFiles() ? EdgeFiles.of(server) : null);
    this.srv = new SrvSwitching(config.switching(), admin, dns, environment, server, maintenance);
    this.settings = new ServerSettings(serverPath, config.listen(), config.automaticHttps());
    this.upstreamSwitch = new UpstreamSwitch(admin, srv, config.admin());
    this.reader = new RouteReader(admin, serverPath, srv);
    this.edits = new ServerEdits(config, admin, serverPath, reader, srv, settings, maintenance);
  }

  /**
   * A proxy on the admin API in {@code config}. Does no I/O. With {@code switch=srv} the DNS
   * provider is opened from {@code config.switching().dns()} on first use (through
   * {@link ProviderRegistry}, so {@code codeb-powerdns} must be on the class path).
   */
  public static CaddyProxy create(CaddyConfig config) {
    return create(config, System::getenv);
  }

  /**
   * The same, finding the DNS provider's secrets ({@code CODEB_POWERDNS_API_KEY}) in
   * {@code environment} rather than the process environment (the CLI passes its own).
   */
  public static CaddyProxy create(CaddyConfig config, UnaryOperator<String> environment) {
    return new CaddyProxy(Objects.requireNonNull(config, "config"), null,
        Objects.requireNonNull(environment, "environment"), Optional.empty());
  }

  /**
   * A proxy for the Caddy that runs on the server {@code link} reaches: the addresses in {@code
   * config} (admin API, {@code dns=}, {@code dns_cache=}) are as that server sees them, and each
   * API is reached through a forward over the link. The link stays the caller's.
   */
  public static CaddyProxy onServer(ServerLink link, CaddyConfig config,
      UnaryOperator<String> environment) {
    return new CaddyProxy(Objects.requireNonNull(config, "config"), null,
        Objects.requireNonNull(environment, "environment"),
        Optional.of(Objects.requireNonNull(link, "link")));
  }

  /** A proxy whose {@code switch=srv} records are kept in {@code dns} (not closed by this proxy). */
  public static CaddyProxy create(CaddyConfig config, DnsProvider dns) {
    return new CaddyProxy(Objects.requireNonNull(config, "config"),
        Objects.requireNonNull(dns, "dns"), System::getenv, Optional.empty());
  }

  public CaddyConfig config() {
    return config;
  }

  @Override
  public ProviderInfo info() {
    return new ProviderInfo("caddy", config.admin() + " server " + config.server()
        + " listening on " + String.join(",", config.listen()));
  }

  @Override
  public List<Route> routes() {
    return reader.routes();
  }

  /** See {@link RouteReader#route}: resolves only this route's SRV record. */
  @Override
  public Optional<Route> route(String id) {
    return reader.route(id);
  }

  /**
   * Plans and applies in small steps, re-reading CodeB's server before each (see
   * {@link ServerEdits#upsert}). A step that lost a race (412) starts over, at most
   * {@value AdminClient#ATTEMPTS} times.
   */
  @Override
  public void upsert(Route route) {
    edits.upsert(Objects.requireNonNull(route, "route"));
  }

  @Override
  public void switchUpstream(String routeId, Upstream to) {
    upstreamSwitch.to(Objects.requireNonNull(routeId, "routeId"),
        List.of(Objects.requireNonNull(to, "to")));
  }

  /** See {@link UpstreamSwitch}: a reload, or with {@code switch=srv} the SRV record. */
  @Override
  public void switchUpstreams(String routeId, List<Upstream> to) {
    upstreamSwitch.to(Objects.requireNonNull(routeId, "routeId"),
        Route.requireUpstreams(routeId, to));
  }

  /**
   * With {@code switch=srv}: probes through Caddy (a new connection per request, the route's
   * first host, Caddy's first plain-HTTP listen address) until 5 answers in a row came from
   * {@code to}'s port, which the SRV handler reports in {@value SrvRouteJson#UPSTREAM_PORT_HEADER}
   * only to requests carrying the route's probe token (kept in the route's Caddy config) in
   * {@value SrvRouteJson#PROBE_HEADER}; ordinary responses never carry it.
   * The reload switch takes effect before its PATCH returns, so it returns at once.
   */
  @Override
  public void awaitUpstream(String routeId, Upstream to, Duration timeout) {
    SwitchConfirmation.await(admin, config.listen(), config.server(),
        String.valueOf(config.switching().resolver()), routeId, to, timeout);
  }

  /** As {@link #awaitUpstream}: an answer from any port of {@code to} counts. */
  @Override
  public void awaitUpstreams(String routeId, List<Upstream> to, Duration timeout) {
    SwitchConfirmation.await(admin, config.listen(), config.server(),
        String.valueOf(config.switching().resolver()), routeId,
        Route.requireUpstreams(routeId, to), timeout);
  }

  /** Looks at every route of every HTTP server in Caddy, CodeB's and everyone else's. */
  @Override
  public List<HostConflict> hostConflicts(String routeId, List<String> hosts) {
    return HostMatching.conflicts(admin, Objects.requireNonNull(routeId, "routeId"), hosts);
  }

  /** Compares CodeB's server with the config: {@code listen}, {@code automatic_https}, catch-all. */
  @Override
  public List<ProxySetting> settingDifferences() {
    Snapshot server = admin.get(serverPath);
    if (server.missing()) {
      return List.of(); // made, with the config's settings, by the first upsert
    }
    return settings.differences(server.body()).stream()
        .map(d -> new ProxySetting(d[0], d[1], d[2])).toList();
  }

  /** Applies {@link ServerSettings} changes one at a time under the server's ETag. */
  @Override
  public void reconcileSettings() {
    edits.reconcileSettings();
  }

  @Override
  public boolean remove(String routeId) {
    return edits.remove(Objects.requireNonNull(routeId, "routeId"));
  }

  @Override
  public void maintenanceOn(String routeId, Maintenance mode) {
    maintenance.on(Objects.requireNonNull(routeId, "routeId"), Objects.requireNonNull(mode, "mode"));
  }

  @Override
  public boolean maintenanceOff(String routeId) {
    return maintenance.off(Objects.requireNonNull(routeId, "routeId"));
  }

  @Override
  public Optional<Maintenance> maintenance(String routeId) {
    return maintenance.get(Objects.requireNonNull(routeId, "routeId"));
  }

  @Override
  public void close() {
    admin.close();
    srv.close();
  }
}
