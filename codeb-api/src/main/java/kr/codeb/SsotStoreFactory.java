package kr.codeb;

/** A {@link ProviderFactory} for {@link SsotStore}, found through {@code ServiceLoader}. */
public interface SsotStoreFactory extends ProviderFactory<SsotStore> {}
