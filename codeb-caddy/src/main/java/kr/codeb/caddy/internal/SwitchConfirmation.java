package kr.codeb.caddy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.ConflictException;
import kr.codeb.NotFoundException;
import kr.codeb.UnavailableException;
import kr.codeb.caddy.internal.AdminClient.Snapshot;
import kr.codeb.proxy.Upstream;

/**
 * Confirms a switch for each of the route's hosts. First from the config: Caddy tries a
 * server's routes in order, so the first route that matches each host must be this one (a
 * route before it with a wildcard, or without a host matcher, would take its requests). Then,
 * with the SRV switch, from the outside: probes through Caddy (a new connection per request,
 * each host in turn, the server's first plain-HTTP listen address) until 5 answers in a row
 * for that host came from the new upstream's port, which the SRV handler reports in
 * {@value SrvRouteJson#UPSTREAM_PORT_HEADER} to requests that carry the route's probe token (read
 * from the route in Caddy's config; see {@link SrvRouteJson}). A static upstream is live before
 * its PATCH returns, so for it the config is the proof.
 */
public final class SwitchConfirmation {
  private SwitchConfirmation() {}

  public static void await(AdminClient admin, List<String> listenAddresses, String server,
      String resolver, String routeId, Upstream to, Duration timeout) {
    await(admin, listenAddresses, server, resolver, routeId, List.of(to), timeout);
  }

  /**
   * The same for a route over several upstreams: new requests count as arrived when the port
   * that answered is one of {@code all}'s (the servers of one slot share its port).
   */
  public static void await(AdminClient admin, List<String> listenAddresses, String server,
      String resolver, String routeId, List<Upstream> all, Duration timeout) {
    Upstream to = all.get(0);
    java.util.Set<Integer> ports = new java.util.HashSet<>();
    all.forEach(u -> ports.add(u.port()));
    Snapshot node = admin.get("/id/" + CaddyJson.routeId(Objects.requireNonNull(routeId, "routeId")));
    if (node.missing()) {
      throw new NotFoundException("no Caddy route " + routeId + " managed by CodeB", "caddy", 404, null);
    }
    List<String> hosts = CaddyJson.hosts(node.body());
    if (hosts.isEmpty()) {
      return; // a route without hosts takes no requests
    }
    JsonNode routes = admin.get("/config/apps/http/servers/" + server + "/routes").body();
    for (String host : hosts) {
      Optional<String> elsewhere = HostMatching.notReaching(routes, server, routeId, host);
      if (elsewhere.isPresent()) {
        throw new ConflictException("route " + routeId + " points to " + to.dial() + ", but "
            + elsewhere.get() + "; remove or narrow that route", "caddy", 0, null);
      }
    }
    if (!SrvRouteJson.isSrv(node.body())) {
      return; // static upstream: the reload finished before the PATCH returned
    }
    String token = SrvRouteJson.probeToken(node.body()).orElse(null);
    String listen = probeAddress(listenAddresses, server);
    int colon = listen.lastIndexOf(':');
    String host = listen.substring(0, colon);
    host = host.isEmpty() || host.equals("0.0.0.0") ? "127.0.0.1" : host.replace("[", "").replace("]", "");
    int port = Integer.parseInt(listen.substring(colon + 1));
    long deadline = System.nanoTime() + timeout.toNanos();
    int confirmed = 0;
    int row = 0;
    int last = -1;
    while (System.nanoTime() < deadline) {
      last = SrvRecords.probe(host, port, hosts.get(confirmed), token);
      row = ports.contains(last) ? row + 1 : 0;
      if (row == 5) {
        confirmed++;
        row = 0;
        if (confirmed == hosts.size()) {
          return;
        }
        continue;
      }
      try {
        Thread.sleep(row > 0 ? 1 : 10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UnavailableException("interrupted while waiting for route " + routeId);
      }
    }
    throw new UnavailableException("route " + routeId + " was switched to " + to.dial()
        + " but new requests for " + hosts.get(confirmed) + " through Caddy at " + listen
        + " still reach port " + last
        + " after " + timeout.toMillis() + " ms (is the DNS server at "
        + resolver + " answering?)", "caddy", 0, null);
  }

  private static String probeAddress(List<String> listenAddresses, String server) {
    for (String listen : listenAddresses) {
      String a = listen.replaceFirst("^tcp[46]?/", "");
      if (!a.endsWith(":443") && !a.contains("-")) {
        return a;
      }
    }
    throw new UnavailableException("Caddy server " + server + " has no plain-HTTP"
        + " listen address to check the switch through", "caddy", 0, null);
  }
}
