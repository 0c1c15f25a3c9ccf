package kr.codeb.caddy.internal;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import kr.codeb.NotFoundException;
import kr.codeb.UnavailableException;
import kr.codeb.caddy.internal.AdminClient.Snapshot;
import kr.codeb.proxy.Upstream;

/**
 * Confirms a switch from the outside: with the SRV switch, probes through Caddy (a new
 * connection per request, the route's first host, the server's first plain-HTTP listen
 * address) until 5 answers in a row came from the new upstream's port, which the SRV handler
 * reports in {@value CaddyJson#UPSTREAM_PORT_HEADER} to requests that carry the route's probe
 * token (read from the route in Caddy's config; see {@link CaddyJson}). A static upstream is
 * live before its PATCH returns, so there is nothing to wait for.
 */
public final class SwitchConfirmation {
  private SwitchConfirmation() {}

  public static void await(AdminClient admin, List<String> listenAddresses, String server,
      String resolver, String routeId, Upstream to, Duration timeout) {
    Objects.requireNonNull(to, "to");
    Snapshot node = admin.get("/id/" + CaddyJson.routeId(Objects.requireNonNull(routeId, "routeId")));
    if (node.missing()) {
      throw new NotFoundException("no Caddy route " + routeId + " managed by CodeB", "caddy", 404, null);
    }
    List<String> hosts = CaddyJson.hosts(node.body());
    if (!CaddyJson.isSrv(node.body()) || hosts.isEmpty()) {
      return; // static upstream: the reload finished before the PATCH returned
    }
    String token = CaddyJson.probeToken(node.body()).orElse(null);
    String listen = probeAddress(listenAddresses, server);
    int colon = listen.lastIndexOf(':');
    String host = listen.substring(0, colon);
    host = host.isEmpty() || host.equals("0.0.0.0") ? "127.0.0.1" : host.replace("[", "").replace("]", "");
    int port = Integer.parseInt(listen.substring(colon + 1));
    long deadline = System.nanoTime() + timeout.toNanos();
    int row = 0;
    int last = -1;
    while (System.nanoTime() < deadline) {
      last = SrvRecords.probe(host, port, hosts.get(0), token);
      row = last == to.port() ? row + 1 : 0;
      if (row == 5) {
        return;
      }
      try {
        Thread.sleep(row > 0 ? 1 : 10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UnavailableException("interrupted while waiting for route " + routeId);
      }
    }
    throw new UnavailableException("route " + routeId + " was switched to " + to.dial()
        + " but new requests through Caddy at " + listen + " still reach port " + last
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
