package kr.codeb.proxy;

import kr.codeb.ProviderFactory;

/** A {@link ProviderFactory} for {@link ReverseProxy}, found through {@code ServiceLoader}. */
public interface ReverseProxyFactory extends ProviderFactory<ReverseProxy> {}
