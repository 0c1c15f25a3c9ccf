package kr.codeb.testkit;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderConfig;
import kr.codeb.dns.DnsProvider;
import kr.codeb.dns.DnsProviderFactory;

/**
 * {@code mem:} opens a new, empty in-memory DNS server; {@code mem:NAME} opens the one of that
 * name, whose zones are shared by everyone in this JVM who opens the same name. No I/O.
 */
public final class MemDnsProviderFactory implements DnsProviderFactory {
  private static final Map<String, MemDnsProvider.Zones> NAMED = new ConcurrentHashMap<>();

  @Override
  public Set<String> schemes() {
    return Set.of("mem");
  }

  @Override
  public DnsProvider create(ProviderConfig config) {
    String part = config.uri().getSchemeSpecificPart();
    part = part == null ? "" : part;
    if (part.contains("?")) {
      throw new InvalidRequestException("a mem: DNS provider takes no options: use mem: or mem:NAME");
    }
    String name = part.replaceFirst("^/+", "");
    if (name.isEmpty()) {
      return MemDnsProvider.create();
    }
    if (!name.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
      throw new InvalidRequestException("invalid mem: DNS name '" + name
          + "': use lowercase letters, digits, '.', '_', '-' (e.g. mem:demo)");
    }
    return new MemDnsProvider(NAMED.computeIfAbsent(name, n -> new MemDnsProvider.Zones()), name);
  }
}
