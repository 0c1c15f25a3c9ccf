package kr.codeb;

/** A {@link ProviderFactory} for {@link FirewallProvider}, found through {@code ServiceLoader}. */
public interface FirewallProviderFactory extends ProviderFactory<FirewallProvider> {}
