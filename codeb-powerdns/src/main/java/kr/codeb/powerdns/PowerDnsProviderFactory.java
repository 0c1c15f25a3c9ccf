package kr.codeb.powerdns;

import java.util.Set;
import kr.codeb.ProviderConfig;
import kr.codeb.dns.DnsProvider;
import kr.codeb.dns.DnsProviderFactory;

/**
 * {@code powerdns+http://HOST:PORT?server=localhost} and {@code powerdns+https://...}: a
 * {@link PowerDnsProvider} on that API (see {@link PowerDnsConfig}). Does no I/O.
 */
public final class PowerDnsProviderFactory implements DnsProviderFactory {
  @Override
  public Set<String> schemes() {
    return Set.of("powerdns+http", "powerdns+https");
  }

  @Override
  public DnsProvider create(ProviderConfig config) {
    PowerDnsConfig pdns = PowerDnsConfig.from(config);
    return config.server().isPresent()
        ? PowerDnsProvider.onServer(config.server().get(), pdns)
        : PowerDnsProvider.create(pdns);
  }
}
