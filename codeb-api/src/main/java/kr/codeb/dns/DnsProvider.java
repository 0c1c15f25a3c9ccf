package kr.codeb.dns;

import java.util.List;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.ProviderInfo;
import kr.codeb.model.DnsName;

/**
 * An authoritative DNS server's API (PowerDNS). Refined, with its contract suite, by the domain
 * issue. Implementations are safe for concurrent use.
 */
public interface DnsProvider extends AutoCloseable {
  ProviderInfo info();

  /** The zones served; a provider whose list call omits nameservers leaves them empty. */
  List<Zone> zones();

  /**
   * The DNS server's version, when its API tells it (one read; empty when it does not). Throws
   * as {@link #zones()} does when the API does not answer.
   */
  default Optional<String> version() {
    return Optional.empty();
  }

  /** Creates the zone if it does not exist; an existing zone is returned as it is. */
  Zone ensureZone(DnsName zone, List<DnsName> nameservers);

  /**
   * Every record set in the zone whose type CodeB knows ({@link RecordType}); sets of other
   * types stay in the zone and are not listed. {@link NotFoundException} for an unknown zone.
   */
  List<RecordSet> recordSets(DnsName zone);

  /**
   * Afterwards the given records are the only ones with that name and type. The content is
   * checked and normalised per type first ({@link RecordContent}: TXT quoted, targets
   * absolute).
   *
   * @throws InvalidRequestException for bad content or a name outside the zone
   * @throws NotFoundException for an unknown zone
   */
  RecordSet upsert(DnsName zone, RecordSet rrset);

  /**
   * Deletes every record of that name and type. Idempotent: {@code false} if there was none.
   *
   * @throws NotFoundException for an unknown zone
   */
  boolean delete(DnsName zone, DnsName name, RecordType type);

  /**
   * Deletes the zone with every record in it. Idempotent: {@code false} if there was none.
   * CodeB deletes only a zone it created itself once nothing but its SOA and NS records is
   * left ({@code we destroy}).
   *
   * @throws kr.codeb.UnsupportedFeatureException when the provider cannot delete zones (the
   *     default)
   */
  default boolean deleteZone(DnsName zone) {
    throw new kr.codeb.UnsupportedFeatureException(info().id() + " cannot delete zones");
  }

  @Override
  void close();
}
