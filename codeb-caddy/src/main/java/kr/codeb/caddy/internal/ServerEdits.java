package kr.codeb.caddy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import kr.codeb.ConflictException;
import kr.codeb.caddy.CaddyConfig;
import kr.codeb.caddy.internal.AdminClient.Snapshot;
import kr.codeb.proxy.HostConflict;
import kr.codeb.proxy.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The changes CodeB makes to its server in Caddy: upserting and removing a route, and bringing
 * the server's own settings in line with the config. Each step re-reads the server and writes
 * under its ETag; a step that lost a race (412) starts over, at most
 * {@value AdminClient#ATTEMPTS} times, then a {@link ConflictException} says so. With
 * {@code tls=internal} every route change also keeps the TLS policy ({@link TlsPolicySync})
 * covering exactly the hosts of CodeB's routes; with {@code tls=auto} one left over is removed.
 */
public final class ServerEdits {
  private static final Logger LOG = LoggerFactory.getLogger(ServerEdits.class);
  private static final int ATTEMPTS = AdminClient.ATTEMPTS;

  private final CaddyConfig config;
  private final AdminClient admin;
  private final String serverPath;
  private final RouteReader reader;
  private final SrvSwitching srv;
  private final ServerSettings settings;
  private final CaddyMaintenance maintenance;
  private final TlsPolicySync tls;

  public ServerEdits(CaddyConfig config, AdminClient admin, String serverPath, RouteReader reader,
      SrvSwitching srv, ServerSettings settings, CaddyMaintenance maintenance) {
    this.config = config;
    this.admin = admin;
    this.serverPath = serverPath;
    this.reader = reader;
    this.srv = srv;
    this.settings = settings;
    this.maintenance = maintenance;
    this.tls = new TlsPolicySync(admin, config.server());
  }

  /**
   * Plans and applies in small steps, re-reading CodeB's server before each: create the server
   * if missing; bring one of its own settings in line ({@link ServerSettings}); then plan the
   * route (replace it, insert it before the catch-all, or nothing) and apply it under the
   * server's ETag; then confirm it and bring the TLS policy in line.
   */
  public void upsert(Route route) {
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

  /** Deletes the route (and its SRV record); false when CodeB's server has no such route. */
  public boolean remove(String routeId) {
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

  /** Applies {@link ServerSettings} changes one at a time under the server's ETag. */
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
      SwitchConfirmation.await(admin, config.listen(), config.server(),
          String.valueOf(config.switching().resolver()), route.id(),
          Route.requireUpstreams(route.id(), route.upstreams()), config.timeout());
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
    reader.routes().forEach(r -> subjects.addAll(r.hosts()));
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
