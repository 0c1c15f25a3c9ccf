package kr.codeb.caddy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import kr.codeb.NotFoundException;
import kr.codeb.ProviderRegistry;
import kr.codeb.UnavailableException;
import kr.codeb.caddy.CaddySwitch;
import kr.codeb.caddy.internal.AdminClient.Snapshot;
import kr.codeb.dns.DnsProvider;
import kr.codeb.fleet.ServerLink;
import kr.codeb.model.DnsName;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code switch=srv} side of {@code CaddyProxy}: the records in PowerDNS, the DNS cache
 * flush, the handler form Caddy gets, and the switch itself (see {@link CaddySwitch}).
 */
public final class SrvSwitching implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SrvSwitching.class);

  private final CaddySwitch settings;
  private final AdminClient admin;
  private final DnsProvider givenDns;
  private final UnaryOperator<String> environment;
  private final Optional<ServerLink> server;
  private final CacheFlush flush;
  private DnsProvider openedDns;
  private SrvRecords records;

  /** {@code dns} may be null: then it is opened from {@code settings.dns()} on first use. */
  private final CaddyMaintenance maintenance;

  public SrvSwitching(CaddySwitch settings, AdminClient admin, DnsProvider dns,
      UnaryOperator<String> environment, Optional<ServerLink> server,
      CaddyMaintenance maintenance) {
    this.settings = settings;
    this.maintenance = maintenance;
    this.admin = admin;
    this.givenDns = dns;
    this.environment = environment;
    this.server = server;
    this.flush = settings.cache().map(c -> new CacheFlush(c, server)).orElse(null);
  }

  public boolean enabled() {
    return settings.isSrv();
  }

  private synchronized SrvRecords records() {
    if (records == null) {
      DnsProvider dns = givenDns;
      if (dns == null) {
        ProviderRegistry registry = ProviderRegistry.load(environment);
        openedDns = server.map(registry::on).orElse(registry)
            .dnsProvider(settings.dns().orElseThrow().toString());
        dns = openedDns;
      }
      records = new SrvRecords(dns, settings.zone(), settings.cache().isPresent());
    }
    return records;
  }

  /**
   * The route as CodeB writes it: SRV-driven (with its upstream as static fallback) or static.
   * The SRV form keeps the probe token of {@code existing} (the route as Caddy has it, or null),
   * so rewriting an unchanged route changes nothing; a route without one gets a new token.
   */
  public ObjectNode desired(Route route, boolean srvForm, JsonNode existing) {
    if (!srvForm) {
      return CaddyJson.route(route);
    }
    String name = records().srvName(route.id()).value();
    long refresh = settings.refresh().toMillis();
    String token = (existing == null ? Optional.<String>empty() : SrvRouteJson.probeToken(existing))
        .orElseGet(SrvRouteJson::newProbeToken);
    // The cached form picks the first upstream of its sources in order, so it cannot balance:
    // a route over several servers asks PowerDNS itself, round robin over the SRV answer.
    return settings.cache().isPresent() && route.upstreams().size() == 1
        ? SrvRouteJson.route(route, name, settings.cache().get().resolver(), settings.resolver(),
            refresh, token)
        : SrvRouteJson.route(route, name, settings.resolver(), refresh, token);
  }

  /**
   * Points the route's SRV record at {@code to} and flushes the changed names from the cache;
   * false (and a warning) when the DNS provider is unreachable, so the caller falls back to the
   * reload switch.
   */
  public boolean point(String routeId, Upstream to) {
    return point(routeId, List.of(to));
  }

  /** {@link #point(String, Upstream)} for a route over several upstreams. */
  public boolean point(String routeId, List<Upstream> to) {
    List<DnsName> changed;
    try {
      changed = records().point(routeId, to);
    } catch (UnavailableException e) {
      LOG.warn("switch=srv: DNS provider unreachable ({}); route {} falls back to the reload"
          + " switch (a config reload) until the next switch", e.getMessage(), routeId);
      return false;
    }
    if (flush != null) {
      flush.flush(changed.toArray(DnsName[]::new));
    }
    return true;
  }

  /** An SRV route's upstream is where its record points (static fallback if DNS is down). */
  public Route withSrvUpstream(Route route) {
    if (!settings.isSrv()) {
      return route;
    }
    try {
      return records().currentAll(route.id()).map(route::withUpstreams).orElse(route);
    } catch (UnavailableException e) {
      LOG.warn("switch=srv: cannot read the SRV record of route {} ({}); reporting its static"
          + " fallback upstream", route.id(), e.getMessage());
      return route;
    }
  }

  /**
   * The SRV switch of one route: the record, plus one reload only when the handler does not
   * have the SRV form this proxy writes (a reload fallback, a route made before
   * {@code switch=srv} or before the cache was configured). With PowerDNS unreachable the
   * whole handler becomes static, so a stale SRV record cannot take traffic back when PowerDNS
   * returns.
   */
  public void switchRoute(String routeId, Upstream to) {
    switchRoute(routeId, List.of(to));
  }

  /** {@link #switchRoute(String, Upstream)} to every upstream of {@code to}. */
  public void switchRoute(String routeId, List<Upstream> to) {
    Snapshot node = admin.get("/id/" + CaddyJson.routeId(routeId));
    if (node.missing()) {
      throw new NotFoundException("no object " + CaddyJson.routeId(routeId));
    }
    Route current = CaddyJson.toRoute(node.body()).orElseThrow(() -> new NotFoundException(
        "route " + routeId + " no longer has the shape CodeB gave it"));
    if (point(routeId, to)) {
      ObjectNode wanted = maintenance.keep(node.body(),
          desired(current.withUpstreams(to), true, node.body()));
      if (!SrvRouteJson.srvShape(node.body()).equals(SrvRouteJson.srvShape(wanted))) {
        admin.change("PATCH", "/id/" + CaddyJson.routeId(routeId), wanted, null);
      }
      LOG.info("Caddy route {} switched to {} through its SRV record", routeId, dials(to));
      return;
    }
    admin.change("PATCH", "/id/" + CaddyJson.routeId(routeId),
        maintenance.keep(node.body(), CaddyJson.route(current.withUpstreams(to))), null);
    LOG.info("Caddy route {} switched to {} by a reload", routeId, dials(to));
  }

  private static List<String> dials(List<Upstream> to) {
    return to.stream().map(Upstream::dial).toList();
  }

  /** Deletes the route's SRV record; a warning when the DNS provider is unreachable. */
  public void remove(String routeId) {
    try {
      records().remove(routeId);
    } catch (UnavailableException e) {
      LOG.warn("could not remove the SRV record of route {}: {}", routeId, e.getMessage());
    }
  }

  @Override
  public void close() {
    if (flush != null) {
      flush.close();
    }
    if (openedDns != null) {
      openedDns.close();
    }
  }
}
