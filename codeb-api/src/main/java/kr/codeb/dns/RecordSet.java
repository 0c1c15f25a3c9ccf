package kr.codeb.dns;

import java.util.List;
import java.util.Objects;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.DnsName;

/**
 * All records of one name and type ({@code A}, {@code AAAA}, {@code CNAME}, {@code TXT},
 * {@code MX}, {@code SRV}, {@code NS}, ...), with their TTL, in the provider's zone-file
 * content form (TXT quoted, targets absolute).
 */
public record RecordSet(DnsName name, RecordType type, int ttl, List<String> records) {
  /** The longest TTL DNS allows (RFC 2181: 2^31 - 1 seconds). */
  public static final int MAX_TTL = Integer.MAX_VALUE;

  public RecordSet {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    requireTtl(ttl);
    records = List.copyOf(records);
    if (records.isEmpty()) {
      throw new InvalidRequestException("a record set needs at least one record; delete it instead");
    }
  }

  /**
   * Checks a TTL in seconds: 1 to {@link #MAX_TTL}.
   *
   * @throws InvalidRequestException otherwise
   */
  public static int requireTtl(int seconds) {
    if (seconds < 1) {
      throw new InvalidRequestException("TTL " + seconds + " is not allowed: a TTL is 1 to "
          + MAX_TTL + " seconds (e.g. 300)");
    }
    return seconds;
  }
}
