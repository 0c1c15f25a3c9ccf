package kr.codeb.dns;

import kr.codeb.ProviderFactory;

/** A {@link ProviderFactory} for {@link DnsProvider}, found through {@code ServiceLoader}. */
public interface DnsProviderFactory extends ProviderFactory<DnsProvider> {}
