package kr.codeb.proxy;

import java.util.List;
import java.util.Objects;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.DnsName;

/**
 * A reverse-proxy route CodeB manages: requests whose Host is one of {@code hosts} go to
 * {@code upstream}. A route with no hosts matches nothing (a project without domain names
 * yet). Host names are lower case without the trailing dot.
 */
public record Route(String id, List<String> hosts, Upstream upstream) {
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
    Objects.requireNonNull(upstream, "upstream");
  }

  public Route withUpstream(Upstream to) {
    return new Route(id, hosts, to);
  }

  public Route withHosts(List<String> newHosts) {
    return new Route(id, newHosts, upstream);
  }
}
