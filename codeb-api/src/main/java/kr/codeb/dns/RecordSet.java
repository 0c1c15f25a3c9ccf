package kr.codeb.dns;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.DnsName;

/**
 * All records of one name and type ({@code A}, {@code AAAA}, {@code CNAME}, {@code TXT},
 * {@code MX}, {@code SRV}, {@code NS}, ...), with their TTL, in the provider's zone-file
 * content form (TXT quoted, targets absolute).
 */
public record RecordSet(DnsName name, String type, int ttl, List<String> records) {
  public RecordSet {
    Objects.requireNonNull(name, "name");
    if (type == null || !type.matches("[A-Za-z0-9]{1,10}")) {
      throw new InvalidRequestException("invalid record type " + Checks.quote(type));
    }
    type = type.toUpperCase(Locale.ROOT);
    if (ttl < 1 || ttl > 2_147_483_647) {
      throw new InvalidRequestException("TTL " + ttl + " must be 1 or more seconds");
    }
    records = List.copyOf(records);
    if (records.isEmpty()) {
      throw new InvalidRequestException("a record set needs at least one record; delete it instead");
    }
  }
}
