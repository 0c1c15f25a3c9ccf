package kr.codeb.audit.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import kr.codeb.ProviderInfo;
import kr.codeb.proxy.HostConflict;
import kr.codeb.proxy.Maintenance;
import kr.codeb.proxy.ProxySetting;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;

/**
 * A {@link ReverseProxy} that records the routes it creates, changes, switches and removes,
 * maintenance pages turned on and off, and settings reconciled. A call that changed nothing
 * (the same route again, the live upstream again) is not recorded.
 */
public final class AuditedProxy implements ReverseProxy {
  private final ReverseProxy delegate;
  private final AuditWriter audit;

  public AuditedProxy(ReverseProxy delegate, AuditWriter audit) {
    this.delegate = delegate;
    this.audit = audit;
  }

  @Override
  public ProviderInfo info() {
    return delegate.info();
  }

  @Override
  public List<Route> routes() {
    return delegate.routes();
  }

  @Override
  public Optional<Route> route(String id) {
    return delegate.route(id);
  }

  @Override
  public void upsert(Route route) {
    Optional<Route> before = delegate.route(route.id());
    delegate.upsert(route);
    if (!before.equals(Optional.of(route))) {
      record(route.id(), before.isPresent() ? "update" : "create",
          before.map(AuditedProxy::json).orElse(null), json(route));
    }
  }

  @Override
  public void switchUpstream(String routeId, Upstream to) {
    Optional<Upstream> before = delegate.route(routeId).map(Route::upstream);
    delegate.switchUpstream(routeId, to);
    if (!before.equals(Optional.of(to))) {
      record(routeId, "switch", before.map(AuditedProxy::json).orElse(null), json(to));
    }
  }

  @Override
  public void switchUpstreams(String routeId, List<Upstream> to) {
    Optional<List<Upstream>> before = delegate.route(routeId).map(Route::upstreams);
    delegate.switchUpstreams(routeId, to);
    if (!before.equals(Optional.of(List.copyOf(to)))) {
      record(routeId, "switch", before.map(AuditedProxy::json).orElse(null), json(to));
    }
  }

  @Override
  public void awaitUpstream(String routeId, Upstream to, Duration timeout) {
    delegate.awaitUpstream(routeId, to, timeout);
  }

  @Override
  public void awaitUpstreams(String routeId, List<Upstream> to, Duration timeout) {
    delegate.awaitUpstreams(routeId, to, timeout);
  }

  @Override
  public List<HostConflict> hostConflicts(String routeId, List<String> hosts) {
    return delegate.hostConflicts(routeId, hosts);
  }

  @Override
  public void maintenanceOn(String routeId, Maintenance mode) {
    delegate.maintenanceOn(routeId, mode);
    record(routeId, "maintenance-on", null, JsonText.object().put("message", mode.message())
        .put("retryAfterSeconds", mode.retryAfter().toSeconds()));
  }

  @Override
  public boolean maintenanceOff(String routeId) {
    boolean was = delegate.maintenanceOff(routeId);
    if (was) {
      record(routeId, "maintenance-off", JsonText.object().put("maintenance", true), null);
    }
    return was;
  }

  @Override
  public Optional<Maintenance> maintenance(String routeId) {
    return delegate.maintenance(routeId);
  }

  @Override
  public List<ProxySetting> settingDifferences() {
    return delegate.settingDifferences();
  }

  @Override
  public void reconcileSettings() {
    List<ProxySetting> before = delegate.settingDifferences();
    delegate.reconcileSettings();
    if (!before.isEmpty()) {
      JsonText was = JsonText.object();
      JsonText now = JsonText.object();
      before.forEach(s -> {
        was.put(s.name(), s.actual());
        now.put(s.name(), s.expected());
      });
      audit.record(delegate.info().id(), "proxy:settings", "update", Optional.empty(), was, now);
    }
  }

  @Override
  public boolean remove(String routeId) {
    Optional<Route> before = delegate.route(routeId);
    boolean removed = delegate.remove(routeId);
    if (removed) {
      record(routeId, "delete", before.map(AuditedProxy::json).orElse(null), null);
    }
    return removed;
  }

  @Override
  public void close() {
    delegate.close();
  }

  private void record(String routeId, String action, Object before, Object after) {
    audit.record(delegate.info().id(), "route:" + routeId, action, audit.projectOf(routeId),
        before, after);
  }

  private static JsonText json(Route r) {
    JsonText json = JsonText.object().put("hosts", r.hosts())
        .put("upstream", r.upstream().address().value() + ":" + r.upstream().port());
    return r.upstreams().size() > 1 ? json.put("upstreams", dials(r.upstreams())) : json;
  }

  private static JsonText json(Upstream u) {
    return JsonText.object().put("upstream", u.address().value() + ":" + u.port());
  }

  /** One upstream as before; several also as the list. */
  private static JsonText json(List<Upstream> to) {
    JsonText json = json(to.get(0));
    return to.size() > 1 ? json.put("upstreams", dials(to)) : json;
  }

  private static List<String> dials(List<Upstream> to) {
    return to.stream().map(u -> u.address().value() + ":" + u.port()).toList();
  }
}
