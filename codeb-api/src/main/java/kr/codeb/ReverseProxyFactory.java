package kr.codeb;

/** A {@link ProviderFactory} for {@link ReverseProxy}, found through {@code ServiceLoader}. */
public interface ReverseProxyFactory extends ProviderFactory<ReverseProxy> {}
