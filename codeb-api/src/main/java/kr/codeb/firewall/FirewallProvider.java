package kr.codeb.firewall;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import kr.codeb.NotFoundException;
import kr.codeb.ProviderInfo;

/**
 * A cloud firewall (Vultr firewall groups). Rules are equal when they pass the same traffic
 * ({@link FirewallRules#sameTraffic}: protocol, ports and source, never the note).
 */
public interface FirewallProvider extends AutoCloseable {
  ProviderInfo info();

  /** The rules of a group; {@link NotFoundException} for an unknown group. */
  List<FirewallRule> rules(String group);

  /** Adds the rule; if an equal rule exists it is returned and nothing is added. */
  FirewallRule allow(String group, FirewallRule rule);

  /**
   * Adds each of {@code rules} that has no equal rule in the group, once even when the list
   * repeats it, and returns the rules it added in the order given: empty when all were there.
   * Idempotent. Not atomic: when adding one fails, the rules added before it stay (a second call
   * adds the rest). A rule another writer adds at the same moment may be added twice or counted
   * as added here. {@link NotFoundException} for an unknown group.
   *
   * <p>The default lists the group once and calls {@link #allow} for each missing rule; an
   * adapter whose every call is a network request overrides it to read the group only once.
   */
  default List<FirewallRule> allowAll(String group, List<FirewallRule> rules) {
    List<FirewallRule> wanted = List.copyOf(Objects.requireNonNull(rules, "rules"));
    List<FirewallRule> known = new ArrayList<>(rules(group));
    List<FirewallRule> added = new ArrayList<>();
    for (FirewallRule rule : wanted) {
      if (known.stream().noneMatch(r -> FirewallRules.sameTraffic(r, rule))) {
        FirewallRule result = allow(group, rule);
        known.add(result);
        added.add(result);
      }
    }
    return List.copyOf(added);
  }

  /** Removes the equal rule; {@code false} if there was none. */
  boolean revoke(String group, FirewallRule rule);

  @Override
  void close();
}
