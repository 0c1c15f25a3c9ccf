package kr.codeb.domain.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kr.codeb.Checks;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.deploy.DeployKey;
import kr.codeb.dns.RecordSet;
import kr.codeb.domain.internal.DomainMarks.Mark;
import kr.codeb.internal.HostNames;
import kr.codeb.model.DnsName;

/** The checks on a domain request's hosts and zone that need no provider. */
public final class DomainHosts {
  private DomainHosts() {}

  /** The domain and, with {@code www}, its www host; each short enough for its mark. */
  public static List<String> hostsOf(String domain, boolean www) {
    List<String> hosts = new ArrayList<>(List.of(domain));
    if (www && !domain.startsWith("www.")) {
      hosts.add(HostNames.parse("www host", "www." + domain).ascii());
    }
    for (String host : hosts) {
      if (host.length() + DomainMarks.LABEL.length() + 1 > 253) {
        throw new InvalidRequestException("domain " + Checks.quote(host) + " is too long for"
            + " CodeB's ownership record " + DomainMarks.LABEL + "." + host
            + " (at most 253 characters)");
      }
    }
    return hosts;
  }

  /** The zone the request names, in punycode; the domain must lie inside it. */
  public static DnsName wantedZone(String zoneInput, String domain, List<String> notes) {
    HostNames.Parsed zp = HostNames.parse("zone", zoneInput);
    zp.unicode().ifPresent(u -> notes.add("converted the Unicode zone " + Checks.quote(u)
        + " to punycode " + Checks.quote(zp.ascii())));
    DnsName name = DnsName.of(zp.ascii());
    if (!DnsName.of(domain).isWithin(name)) {
      throw new InvalidRequestException("domain " + domain + " is not inside the zone " + name
          + ": give a zone the domain ends with (e.g. --zone vsvs.kr for api.vsvs.kr)");
    }
    return name;
  }

  /** No host carries another project's mark. */
  public static void requireNotOwnedByOthers(DeployKey key, List<String> hosts,
      List<RecordSet> existing) {
    for (String host : hosts) {
      Optional<Mark> owner = DomainMarks.markOf(existing, host);
      if (owner.isPresent() && !owner.get().key().equals(key)) {
        throw new ConflictException("host " + host + " belongs to " + owner.get().key()
            + " (domain " + owner.get().domain() + "); remove it first (we domain remove "
            + owner.get().domain() + ")");
      }
    }
  }
}
