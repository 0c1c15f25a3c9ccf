package kr.codeb.dns;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;

/**
 * The DNS record types CodeB reads and writes. A provider lists only record sets of these types
 * ({@link DnsProvider#recordSets}); sets of other types (DNSSEC's, say) stay in the zone,
 * untouched and unlisted.
 */
public enum RecordType {
  A, AAAA, CAA, CNAME, DS, HTTPS, MX, NS, PTR, SOA, SRV, SSHFP, SVCB, TLSA, TXT;

  /**
   * The type named {@code text}, in any case.
   *
   * @throws InvalidRequestException if CodeB does not know it (the message lists those it does)
   */
  public static RecordType of(String text) {
    return find(text).orElseThrow(() -> new InvalidRequestException("unknown record type "
        + Checks.quote(text) + ": use one of " + Arrays.stream(values()).map(Enum::name)
            .collect(Collectors.joining(", "))));
  }

  /** The type named {@code text}, in any case; empty for a type CodeB does not know. */
  public static Optional<RecordType> find(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String upper = text.toUpperCase(Locale.ROOT);
    return Arrays.stream(values()).filter(t -> t.name().equals(upper)).findFirst();
  }
}
