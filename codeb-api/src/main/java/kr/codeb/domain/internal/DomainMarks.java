package kr.codeb.domain.internal;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.deploy.DeployKey;
import kr.codeb.dns.RecordSet;
import kr.codeb.dns.RecordType;
import kr.codeb.dns.Zone;
import kr.codeb.model.DnsName;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;

/**
 * The ownership marks CodeB leaves in DNS next to each host it adds, like external-dns does:
 * {@code _codeb.<host>} TXT {@code "codeb-domain project=<p> env=<e> domain=<d>"}; and the
 * zone lookups that go with them.
 */
public final class DomainMarks {
  /** The label of the ownership record in front of each host. */
  public static final String LABEL = "_codeb";
  private static final String PREFIX = "codeb-domain ";

  private DomainMarks() {}

  /** Who a host belongs to and which domain it was added for. */
  public record Mark(DeployKey key, String domain) {
    public Mark {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(domain, "domain");
    }

    /** The TXT content of the mark, quoted. */
    public String content() {
      return "\"" + PREFIX + "project=" + key.project() + " env=" + key.environment()
          + " domain=" + domain + "\"";
    }

    static Optional<Mark> parse(String content) {
      String text = content.replace("\"", "").trim();
      if (!text.startsWith(PREFIX)) {
        return Optional.empty();
      }
      Map<String, String> fields = new LinkedHashMap<>();
      for (String part : text.substring(PREFIX.length()).trim().split("\\s+")) {
        int eq = part.indexOf('=');
        if (eq > 0) {
          fields.put(part.substring(0, eq), part.substring(eq + 1));
        }
      }
      try {
        return Optional.of(new Mark(new DeployKey(ProjectName.of(fields.get("project")),
            Environment.of(fields.get("env"))), Objects.requireNonNull(fields.get("domain"))));
      } catch (RuntimeException e) {
        return Optional.empty(); // a TXT record that only looks like a mark is not one
      }
    }
  }

  /** {@code _codeb.<host>}. */
  public static DnsName markName(String host) {
    return DnsName.of(LABEL + "." + host);
  }

  /** The mark of {@code host} among the zone's record sets, if it has one. */
  public static Optional<Mark> markOf(List<RecordSet> sets, String host) {
    DnsName name = markName(host);
    return sets.stream().filter(s -> s.name().equals(name) && s.type() == RecordType.TXT)
        .flatMap(s -> s.records().stream()).map(Mark::parse).flatMap(Optional::stream).findFirst();
  }

  /** The host a mark record stands for, if {@code set} is a mark record. */
  public static Optional<String> markedHost(RecordSet set) {
    if (set.type() != RecordType.TXT || !set.name().value().startsWith(LABEL + ".")) {
      return Optional.empty();
    }
    return Optional.of(set.name().hostName().substring(LABEL.length() + 1));
  }

  /** The deepest zone the name is in, if any. */
  public static Optional<DnsName> enclosingZone(List<Zone> zones, DnsName name) {
    return zones.stream().map(Zone::name).filter(name::isWithin)
        .max(Comparator.comparingInt(z -> z.value().length()));
  }
}
