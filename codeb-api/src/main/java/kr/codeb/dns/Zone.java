package kr.codeb.dns;

import java.util.List;
import java.util.Objects;
import kr.codeb.model.DnsName;

/** A DNS zone the provider serves, with its kind ({@code Native}, ...) and nameservers. */
public record Zone(DnsName name, String kind, List<DnsName> nameservers) {
  public Zone {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    nameservers = List.copyOf(nameservers);
  }
}
