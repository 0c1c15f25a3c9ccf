package kr.codeb.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import kr.codeb.Checks;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.ProviderInfo;
import kr.codeb.firewall.FirewallProvider;
import kr.codeb.firewall.FirewallRule;
import kr.codeb.firewall.FirewallRules;

/**
 * Firewall groups in memory, for tests, demos and jshell; it behaves like Vultr's. A group has
 * an id (a UUID) and a description, and callers name it by either; a description shared by two
 * groups is ambiguous ({@link InvalidRequestException} listing the ids). A group holds at most
 * {@value #MAX_RULES} rules. Groups are made with {@link #createGroup} or {@link #ensureGroup}
 * (or the {@code groups=} option of {@code mem:} URIs); an unknown group is a
 * {@link NotFoundException}. Handles on one {@code mem:NAME} share the groups.
 */
public final class MemFirewall implements FirewallProvider {
  /** How many rules a group holds, as at Vultr. */
  public static final int MAX_RULES = 50;

  private final Groups groups;
  private final String name;

  MemFirewall(Groups groups, String name) {
    this.groups = groups;
    this.name = name;
  }

  /** A new firewall with no groups. */
  public static MemFirewall create() {
    return new MemFirewall(new Groups(), "anonymous");
  }

  /** Another handle on the same groups. */
  public MemFirewall reopen() {
    return new MemFirewall(groups, name);
  }

  /** Creates a group with this description (even if one has it already) and returns its id. */
  public String createGroup(String description) {
    Objects.requireNonNull(description, "description");
    synchronized (groups) {
      String id = UUID.randomUUID().toString();
      groups.byId.put(id, new Group(id, description));
      return id;
    }
  }

  /** The id of the one group with this description, created when there is none. */
  public String ensureGroup(String description) {
    synchronized (groups) {
      List<Group> found = byDescription(description);
      return found.size() == 1 ? found.get(0).id : found.isEmpty() ? createGroup(description)
          : ambiguous(description, found);
    }
  }

  @Override
  public ProviderInfo info() {
    return new ProviderInfo("mem", "mem:" + name);
  }

  @Override
  public List<FirewallRule> rules(String group) {
    synchronized (groups) {
      return List.copyOf(find(group).rules);
    }
  }

  @Override
  public FirewallRule allow(String group, FirewallRule rule) {
    Objects.requireNonNull(rule, "rule");
    synchronized (groups) {
      Group g = find(group);
      for (FirewallRule r : g.rules) {
        if (FirewallRules.sameTraffic(r, rule)) {
          return r;
        }
      }
      if (g.rules.size() >= MAX_RULES) {
        throw new ConflictException("firewall group " + g.id + " (" + g.description + ") holds "
            + g.rules.size() + " rules, the most it may (" + MAX_RULES + "): revoke one first to add "
            + FirewallRules.describe(rule), "mem", 0, null);
      }
      g.rules.add(rule);
      return rule;
    }
  }

  @Override
  public boolean revoke(String group, FirewallRule rule) {
    Objects.requireNonNull(rule, "rule");
    synchronized (groups) {
      return find(group).rules.removeIf(r -> FirewallRules.sameTraffic(r, rule));
    }
  }

  @Override
  public void close() {
    // nothing to release: the groups stay for other handles
  }

  private Group find(String group) {
    if (group == null || group.isBlank()) {
      throw new InvalidRequestException("no firewall group given: name it by its id or its"
          + " description");
    }
    Group byId = groups.byId.get(group);
    if (byId != null) {
      return byId;
    }
    List<Group> found = byDescription(group);
    if (found.size() == 1) {
      return found.get(0);
    }
    if (found.isEmpty()) {
      throw new NotFoundException("no firewall group with the id or description "
          + Checks.quote(group) + " in mem:" + name + "; known: " + known(), "mem", 0, null);
    }
    return ambiguous(group, found);
  }

  private List<Group> byDescription(String description) {
    return groups.byId.values().stream().filter(g -> g.description.equals(description)).toList();
  }

  private static <T> T ambiguous(String description, List<Group> found) {
    throw new InvalidRequestException("the description " + Checks.quote(description)
        + " names " + found.size() + " firewall groups: use one of their ids: "
        + found.stream().map(g -> g.id).toList());
  }

  private List<String> known() {
    return groups.byId.values().stream().map(g -> g.description + " (" + g.id + ")").toList();
  }

  private static final class Group {
    final String id;
    final String description;
    final List<FirewallRule> rules = new ArrayList<>();

    Group(String id, String description) {
      this.id = id;
      this.description = description;
    }
  }

  /** The groups, shared by all handles on one mem: firewall. */
  static final class Groups {
    private final Map<String, Group> byId = new LinkedHashMap<>();
  }
}
