package kr.codeb.vultr;

import java.util.Set;
import kr.codeb.ProviderConfig;
import kr.codeb.firewall.FirewallProvider;
import kr.codeb.firewall.FirewallProviderFactory;

/**
 * {@code vultr://} (Vultr's API), {@code vultr+http://HOST:PORT} and
 * {@code vultr+https://HOST[:PORT]}: a {@link VultrFirewall} (parameters and the API key's
 * lookup in {@link VultrConfig}). Does no I/O.
 */
public final class VultrFirewallFactory implements FirewallProviderFactory {
  @Override
  public Set<String> schemes() {
    return Set.of("vultr", "vultr+http", "vultr+https");
  }

  @Override
  public FirewallProvider create(ProviderConfig config) {
    return VultrFirewall.create(VultrConfig.from(config));
  }
}
