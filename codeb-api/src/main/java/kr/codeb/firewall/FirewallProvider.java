package kr.codeb.firewall;

import java.util.List;
import kr.codeb.NotFoundException;
import kr.codeb.ProviderInfo;

/**
 * A cloud firewall (Vultr firewall groups). Refined, with its contract suite, by the firewall
 * issue.
 */
public interface FirewallProvider extends AutoCloseable {
  ProviderInfo info();

  /** The rules of a group; {@link NotFoundException} for an unknown group. */
  List<FirewallRule> rules(String group);

  /** Adds the rule; if an equal rule exists it is returned and nothing is added. */
  FirewallRule allow(String group, FirewallRule rule);

  /** Removes the equal rule; {@code false} if there was none. */
  boolean revoke(String group, FirewallRule rule);

  @Override
  void close();
}
