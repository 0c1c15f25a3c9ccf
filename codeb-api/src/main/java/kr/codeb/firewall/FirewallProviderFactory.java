package kr.codeb.firewall;

import kr.codeb.ProviderFactory;

/** A {@link ProviderFactory} for {@link FirewallProvider}, found through {@code ServiceLoader}. */
public interface FirewallProviderFactory extends ProviderFactory<FirewallProvider> {}
