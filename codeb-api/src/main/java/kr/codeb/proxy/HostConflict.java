package kr.codeb.proxy;

import java.util.Objects;

/**
 * A host that another route of the proxy already matches.
 *
 * @param host the host asked for
 * @param matchedBy the other route's host pattern that matches it ({@code *.example.test}, or
 *     the host itself)
 * @param holder who has that route, for people: {@code route acme-production} or
 *     {@code a route CodeB does not manage (#2 in server srv0)}
 */
public record HostConflict(String host, String matchedBy, String holder) {
  public HostConflict {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(matchedBy, "matchedBy");
    Objects.requireNonNull(holder, "holder");
  }

  /** {@code host x.a.test is matched by *.a.test of route b-production}. */
  public String describe() {
    return "host " + host + " is matched by " + (matchedBy.equals(host) ? "" : matchedBy + " of ")
        + holder;
  }
}
