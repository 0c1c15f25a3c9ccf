package kr.codeb.caddy;

import java.util.Set;
import kr.codeb.ProviderConfig;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.proxy.ReverseProxyFactory;

/**
 * {@code caddy+http://HOST:PORT?listen=...} and {@code caddy+https://...}: a {@link CaddyProxy}
 * on that admin API (parameters in {@link CaddyConfig}). Does no I/O.
 */
public final class CaddyProxyFactory implements ReverseProxyFactory {
  @Override
  public Set<String> schemes() {
    return Set.of("caddy+http", "caddy+https");
  }

  @Override
  public ReverseProxy create(ProviderConfig config) {
    CaddyConfig caddy = CaddyConfig.from(config);
    return config.server().isPresent()
        ? CaddyProxy.onServer(config.server().get(), caddy, config.environment())
        : CaddyProxy.create(caddy, config.environment());
  }
}
