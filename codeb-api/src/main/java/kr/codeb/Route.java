package kr.codeb;

import java.util.List;
import kr.codeb.internal.Checks;

/**
 * A reverse-proxy route CodeB manages: requests for {@code hosts} go to {@code upstream}.
 * A route with no hosts matches nothing (a project without domain names yet).
 */
public record Route(String id, List<String> hosts, Upstream upstream) {
  public Route {
    if (id == null || !id.matches("[a-z0-9][a-z0-9._-]{0,127}")) {
      throw new InvalidRequestException("invalid route id " + Checks.quote(id)
          + ": use lowercase letters, digits, '.', '_', '-'");
    }
    hosts = List.copyOf(hosts);
    java.util.Objects.requireNonNull(upstream, "upstream");
  }
}
