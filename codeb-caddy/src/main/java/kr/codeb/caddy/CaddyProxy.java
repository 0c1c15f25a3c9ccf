package kr.codeb.caddy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import kr.codeb.ConflictException;
import kr.codeb.NotFoundException;
import kr.codeb.ProviderInfo;
import kr.codeb.ProviderRegistry;
import kr.codeb.caddy.internal.AdminClient.Snapshot;
import kr.codeb.caddy.internal.AdminClient;
import kr.codeb.caddy.internal.CaddyJson;
import kr.codeb.caddy.internal.TlsPolicyJson;
import kr.codeb.caddy.internal.SrvRouteJson;
import kr.codeb.caddy.internal.CaddyMaintenance;
import kr.codeb.caddy.internal.EdgeFiles;
import kr.codeb.caddy.internal.HostMatching;
import kr.codeb.caddy.internal.ServerCreation;
import kr.codeb.caddy.internal.ServerSettings;
import kr.codeb.caddy.internal.SrvSwitching;
import kr.codeb.caddy.internal.SwitchConfirmation;
import kr.codeb.caddy.internal.TlsPolicySync;
import kr.codeb.caddy.internal.UpstreamSwitch;
import kr.codeb.dns.DnsProvider;
import kr.codeb.fleet.ServerLink;
import kr.codeb.proxy.HostConflict;
import kr.codeb.proxy.ProxySetting;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.proxy.Maintenance;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 */
public final class CaddyProxy implements ReverseProxy {
  private static final Logger LOG = LoggerFactory.getLogger(CaddyProxy.class);
  private static final int ATTEMPTS = AdminClient.ATTEMPTS;

  private final CaddyConfig config;
  private final AdminClient admin;
  private final String serverPath;
  private final TlsPolicySync tls;
  private final SrvSwitching srv;
  private final ServerSettings settings;
  private final CaddyMaintenance maintenance;
  private final UpstreamSwitch upstreamSwitch;

  private CaddyProxy(CaddyConfig config, DnsProvider dns, UnaryOperator<String> environment,
      Optional<ServerLink> server) {
    this.config = config;
    this.admin = new AdminClient(config.admin(), config.timeout(), server);
    this.serverPath = "/config/apps/http/servers/" + config.server();
    this.tls = new TlsPolicySync(admin, config.server());
    this.maintenance = new CaddyMaintenance(admin, config.maintenanceDir(),
        config.maintenanceInFiles() ? EdgeFiles.of(server) : null);
    this.srv = new SrvSwitching(config.switching(), admin, dns, environment, server, maintenance);
    this.settings = new ServerSettings(serverPath, config.listen(), config.automaticHttps());
    this.upstreamSwitch = new UpstreamSwitch(admin, srv, config.admin());
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
    Snapshot routes = admin.get(serverPath + "/routes");
    List<Route> result = new ArrayList<>();
    for (JsonNode node : routes.body()) {
      if (CaddyJson.isCodeBRoute(node)) {
        Optional<Route> route = CaddyJson.toRoute(node);
        if (route.isPresent()) {
          result.add(SrvRouteJson.isSrv(node) ? srv.withSrvUpstream(route.get()) : route.get());
        } else {
          LOG.warn("Caddy route {} no longer has the shape CodeB gave it; skipped: {}",
              CaddyJson.idOf(node), node);
        }
      }
    }
    return List.copyOf(result);
  }

  /**
   * The one route, read from the server's routes like {@link #routes()}, but resolving only its
   * own SRV record: with {@code switch=srv} every route's live upstream is a DNS read, and a
   * deploy reads its route several times, so reading all of them made each deploy's time grow
   * with the number of projects on the edge (docs/benchmarks.md, "Capacity").
   */
  @Override
  public Optional<Route> route(String id) {
    Snapshot routes = admin.get(serverPath + "/routes");
    for (JsonNode node : routes.body()) {
      if (CaddyJson.idOf(node).equals(CaddyJson.ROUTE_PREFIX + id)) {
        Optional<Route> route = CaddyJson.toRoute(node);
        if (route.isEmpty()) {
          LOG.warn("Caddy route {} no longer has the shape CodeB gave it; skipped: {}", id, node);
          return Optional.empty();
        }
        return Optional.of(SrvRouteJson.isSrv(node) ? srv.withSrvUpstream(route.get()) : route.get());
      }
    }
    return Optional.empty();
  }

  /**
   * Plans and applies in small steps, re-reading CodeB's server before each: create the server
   * if missing; bring one of its own settings in line ({@link ServerSettings}); then plan the
   * route (replace it, insert it before the catch-all, or nothing) and apply it under the
   * server's ETag; then confirm it and bring the TLS policy in line. A step that lost a race
   * (412) starts over, at most {@value AdminClient#ATTEMPTS} times.
   */
  @Override
  public void upsert(Route route) {
    Objects.requireNonNull(route, "route");
    boolean srvForm = srv.enabled() && srv.point(route.id(), route.upstreams());
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      Snapshot server = admin.get(serverPath);
      if (server.missing()) {
        createServer();
        continue;
      }
      Optional<ServerSettings.Change> setting = settings.nextChange(server.body());
      if (setting.isPresent()) {
        applySetting(setting.get(), server.etag(), attempt);
        continue;
      }
      RoutePlan plan = planRoute(route, srvForm, server.body().path("routes"));
      if (plan.unchanged()) {
        reconcileTlsPolicy();
        return; // idempotent: nothing to change
      }
      prepareTlsPolicy(route);
      if (applyRoute(plan, server.etag())) {
        confirmRoute(route, plan, srvForm);
        reconcileTlsPolicy();
        return;
      }
      AdminClient.backOff(attempt);
    }
    throw gaveUp("upsert route " + route.id());
  }

  /** How a route gets to its desired form: {@code PATCH} in place or {@code PUT} before the catch-all. */
  private record RoutePlan(String method, String path, ObjectNode desired, boolean replaces,
      boolean unchanged) {}

  private void applySetting(ServerSettings.Change change, String etag, int attempt) {
    LOG.info("Caddy server {}: {}", config.server(), change.what());
    if (!admin.change(change.method(), change.path(), change.body(), etag)) {
      AdminClient.backOff(attempt);
    }
  }

  private RoutePlan planRoute(Route route, boolean srvForm, JsonNode routes) {
    int existing = CaddyJson.indexOf(routes, CaddyJson.routeId(route.id()));
    checkHostsAreFree(route, routes);
    ObjectNode desired = maintenance.keep(existing >= 0 ? routes.get(existing) : null,
        srv.desired(route, srvForm, existing >= 0 ? routes.get(existing) : null));
    if (existing >= 0) {
      return new RoutePlan("PATCH", serverPath + "/routes/" + existing, desired, true,
          routes.get(existing).equals(desired));
    }
    int catchAll = CaddyJson.indexOf(routes, CaddyJson.CATCH_ALL_ID);
    return new RoutePlan("PUT", serverPath + "/routes/" + catchAll, desired, false, false);
  }

  /** With {@code tls=internal}, the policy covers the route's hosts before Caddy sees them. */
  private void prepareTlsPolicy(Route route) {
    if (config.internalTls()) {
      // The policy first, so Caddy never asks a public CA for these hosts.
      syncTls(new TreeSet<>(route.hosts()));
    }
  }

  private boolean applyRoute(RoutePlan plan, String etag) {
    return admin.change(plan.method(), plan.path(), plan.desired(), etag);
  }

  private void confirmRoute(Route route, RoutePlan plan, boolean srvForm) {
    LOG.info("Caddy route {} {}: {} -> {}", route.id(), plan.replaces() ? "replaced" : "added",
        route.hosts(), route.upstream().dial());
    if (srvForm) {
      // Caddy may still hold the previous SRV answer for one refresh interval.
      awaitUpstreams(route.id(), route.upstreams(), config.timeout());
    }
  }

  /**
   * The TLS policy as the settings say: with {@code tls=internal} it covers exactly the hosts
   * of CodeB's routes; with {@code tls=auto} CodeB has none (one left from an earlier
   * {@code tls=internal} is removed).
   */
  private void reconcileTlsPolicy() {
    if (config.internalTls()) {
      syncTls(Set.of());
    } else {
      tls.remove();
    }
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
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      Snapshot server = admin.get(serverPath);
      if (server.missing()) {
        return;
      }
      Optional<ServerSettings.Change> setting = settings.nextChange(server.body());
      if (setting.isEmpty()) {
        return;
      }
      applySetting(setting.get(), server.etag(), attempt);
    }
    throw gaveUp("bring the settings of server " + config.server() + " in line");
  }

  @Override
  public boolean remove(String routeId) {
    Objects.requireNonNull(routeId, "routeId");
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      Snapshot server = admin.get(serverPath);
      int index = server.missing() ? -1 : CaddyJson.indexOf(server.body().path("routes"), CaddyJson.routeId(routeId));
      if (index < 0) {
        return false;
      }
      if (admin.change("DELETE", serverPath + "/routes/" + index, null, server.etag())) {
        LOG.info("Caddy route {} removed", routeId);
        if (srv.enabled()) {
          srv.remove(routeId);
        }
        reconcileTlsPolicy();
        return true;
      }
      AdminClient.backOff(attempt);
    }
    throw gaveUp("remove route " + routeId);
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

  /** Creates CodeB's server (and {@code apps}, {@code apps.http} if missing), guarded by the root's ETag. */
  private void createServer() {
    if (!ServerCreation.create(admin, config.admin().toString(), config.server(), config.listen(),
        config.automaticHttps())) {
      throw gaveUp("create server " + config.server());
    }
  }


  /** Keeps the internal-issuer TLS policy in step with CodeB's route hosts (plus extra). */
  private void syncTls(Set<String> extra) {
    Set<String> subjects = new TreeSet<>(extra);
    routes().forEach(r -> subjects.addAll(r.hosts()));
    if (!tls.sync(subjects)) {
      throw gaveUp("update TLS policy " + TlsPolicyJson.policyId(config.server()));
    }
  }

  private void checkHostsAreFree(Route route, JsonNode routes) {
    List<HostConflict> conflicts =
        HostMatching.conflicts(routes, config.server(), route.id(), route.hosts());
    if (!conflicts.isEmpty()) {
      throw new ConflictException(conflicts.get(0).describe() + " in Caddy at " + config.admin()
          + "; remove it there first", "caddy", 0, null);
    }
  }

  private ConflictException gaveUp(String what) {
    return new ConflictException("could not " + what + " in Caddy at " + config.admin()
        + ": the config kept changing under CodeB (" + ATTEMPTS + " attempts, each got 412)",
        "caddy", 412, null);
  }
}
