package kr.codeb.proxy;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.DnsName;

/**
 * A reverse-proxy route CodeB manages: requests whose Host is one of {@code hosts} go to
 * {@code upstreams}, balanced round robin when there are several (one project on several app
 * servers; a proxy that cannot balance refuses such a route, see
 * {@link ReverseProxy#switchUpstreams}). A route with no hosts matches nothing (a project
 * without domain names yet). Host names are lower case without the trailing dot.
 *
 * @param upstreams at least one, no duplicates, in the order the proxy lists them
 */
public record Route(String id, List<String> hosts, List<Upstream> upstreams) {
  public Route {
    if (id == null || !id.matches("[a-z0-9][a-z0-9._-]{0,127}")) {
      throw new InvalidRequestException("invalid route id " + Checks.quote(id)
          + ": use lowercase letters, digits, '.', '_', '-'");
    }
    hosts = List.copyOf(hosts);
    hosts.forEach(h -> {
      if (!DnsName.of(h).hostName().equals(h)) {
        throw new InvalidRequestException("host " + Checks.quote(h)
            + " must be a lower-case host name without the trailing dot");
      }
    });
    upstreams = requireUpstreams(id, upstreams);
  }

  /** A route to one upstream. */
  public Route(String id, List<String> hosts, Upstream upstream) {
    this(id, hosts, List.of(Objects.requireNonNull(upstream, "upstream")));
  }

  /**
   * The first upstream: the only one of a single-server route. Every upstream of a route CodeB
   * deploys dials the same port (one allocation for all servers), so this one tells the slot.
   */
  public Upstream upstream() {
    return upstreams.get(0);
  }

  public Route withUpstream(Upstream to) {
    return new Route(id, hosts, to);
  }

  public Route withUpstreams(List<Upstream> to) {
    return new Route(id, hosts, to);
  }

  public Route withHosts(List<String> newHosts) {
    return new Route(id, newHosts, upstreams);
  }

  /** A copy of {@code upstreams}, refused when empty or with an upstream twice. */
  public static List<Upstream> requireUpstreams(String what, List<Upstream> upstreams) {
    Objects.requireNonNull(upstreams, "upstreams");
    List<Upstream> copy = List.copyOf(upstreams);
    if (copy.isEmpty()) {
      throw new InvalidRequestException("route " + what + " needs at least one upstream");
    }
    if (new HashSet<>(copy).size() != copy.size()) {
      throw new InvalidRequestException("route " + what + " lists an upstream twice: "
          + copy.stream().map(Upstream::dial).toList() + "; each upstream may appear once");
    }
    return copy;
  }
}
