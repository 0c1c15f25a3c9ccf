package kr.codeb.caddy.internal;

import java.net.URI;
import java.util.List;
import kr.codeb.NotFoundException;
import kr.codeb.proxy.Upstream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blue-green switch of {@code CaddyProxy}. With {@code switch=srv}: the route's SRV record
 * names every upstream, and Caddy balances round robin over the answer; no reload unless the
 * route's form changes ({@link SrvSwitching#desired}). Else one reload: a {@code PATCH} of the
 * handler's {@code upstreams} for one upstream, of the whole {@code reverse_proxy} handler (the
 * upstreams and {@code round_robin}, see {@link CaddyJson}) for several.
 */
public final class UpstreamSwitch {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamSwitch.class);

  private final AdminClient admin;
  private final SrvSwitching srv;
  private final URI adminUri;

  public UpstreamSwitch(AdminClient admin, SrvSwitching srv, URI adminUri) {
    this.admin = admin;
    this.srv = srv;
    this.adminUri = adminUri;
  }

  /** Points the route at {@code to} (checked: at least one, no duplicates). */
  public void to(String routeId, List<Upstream> to) {
    try {
      if (srv.enabled()) {
        srv.switchRoute(routeId, to);
        return;
      }
      if (to.size() == 1) {
        admin.change("PATCH", "/id/" + CaddyJson.upstreamId(routeId) + "/upstreams",
            CaddyJson.upstreams(to.get(0)), null);
      } else {
        admin.change("PATCH", "/id/" + CaddyJson.upstreamId(routeId),
            CaddyJson.proxyHandler(CaddyJson.route(new kr.codeb.proxy.Route(routeId,
                List.of(), to))), null);
      }
    } catch (NotFoundException e) {
      throw new NotFoundException("no Caddy route " + routeId + " managed by CodeB (no object "
          + CaddyJson.upstreamId(routeId) + " in the config at " + adminUri + ")",
          "caddy", 404, e);
    }
    LOG.info("Caddy route {} switched to {}", routeId, to.size() == 1 ? to.get(0).dial()
        : to.stream().map(Upstream::dial).toList());
  }
}
