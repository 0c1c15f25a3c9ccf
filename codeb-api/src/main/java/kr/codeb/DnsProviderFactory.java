package kr.codeb;

/** A {@link ProviderFactory} for {@link DnsProvider}, found through {@code ServiceLoader}. */
public interface DnsProviderFactory extends ProviderFactory<DnsProvider> {}
