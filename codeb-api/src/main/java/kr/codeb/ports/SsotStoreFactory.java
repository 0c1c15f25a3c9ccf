package kr.codeb.ports;

import kr.codeb.ProviderFactory;

/** A {@link ProviderFactory} for {@link SsotStore}, found through {@code ServiceLoader}. */
public interface SsotStoreFactory extends ProviderFactory<SsotStore> {}
