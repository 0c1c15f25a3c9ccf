package kr.codeb.vultr;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.ProviderInfo;
import kr.codeb.UnavailableException;
import kr.codeb.firewall.FirewallOperations;
import kr.codeb.firewall.FirewallProvider;
import kr.codeb.firewall.FirewallRule;
import kr.codeb.firewall.FirewallRules;
import kr.codeb.vultr.internal.VultrClient;
import kr.codeb.vultr.internal.VultrJson.Group;
import kr.codeb.vultr.internal.VultrJson.Rule;
import kr.codeb.vultr.internal.VultrJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link FirewallProvider} on Vultr API v2 firewall groups.
 *
 * <p>A {@code group} argument is a group's id (a UUID) or its description; a description shared
 * by several groups is refused ({@link InvalidRequestException} listing their ids), an unknown
 * one is a {@link NotFoundException}. Rules are compared by ip type, protocol, port, subnet and
 * prefix with an empty {@code source}, never by their note; rules with a Cloudflare or
 * load-balancer source are not shown by {@link #rules} and never changed (they still count
 * towards the group's limit). Lists follow Vultr's cursor ({@code meta.links.next}) to the end.
 *
 * <p>{@link #allow} is idempotent (an equal rule is returned, nothing is added; when the answer
 * to its POST is lost, the rules are read again and the POST is repeated only if the rule is
 * not there) and refuses with
 * a {@link ConflictException} a rule that would pass the group's {@code max_rule_count} (50),
 * before calling the API; {@link #allowAll} reads the group once for all its rules and
 * refuses, before any POST, rules that would together pass the limit. {@link #revoke} deletes
 * every equal rule by its id (Vultr has no update). A group, once found by its id or
 * description, is used for a minute without looking it up again (one API call less per
 * operation); a group gone meanwhile is looked up afresh. Changes to one group are serialized within this object; two processes allowing the
 * same rule at the same moment may both add it (a later revoke removes both).
 *
 * <p>Calls are rate-limited below Vultr's 30 per second and retried as
 * {@link VultrConfig} says. The API key is never logged nor put in a message.
 */
public final class VultrFirewall implements FirewallProvider {
  private static final Logger LOG = LoggerFactory.getLogger(VultrFirewall.class);
  private static final Pattern UUID = Pattern.compile(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final int PAGE = 100;
  /** How long a looked-up group is used without asking again. */
  static final Duration GROUP_TTL = Duration.ofSeconds(60);

  private final VultrConfig config;
  private final VultrClient client;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private final Map<String, Resolved> groups = new ConcurrentHashMap<>();

  private VultrFirewall(VultrConfig config) {
    this.config = config;
    this.client = new VultrClient(config);
  }

  /** A firewall on the API in {@code config}. Does no I/O. */
  public static VultrFirewall create(VultrConfig config) {
    return new VultrFirewall(Objects.requireNonNull(config, "config"));
  }

  public VultrConfig config() {
    return config;
  }

  @Override
  public ProviderInfo info() {
    return new ProviderInfo("vultr", config.endpoint().toString());
  }

  @Override
  public List<FirewallRule> rules(String group) {
    return withGroup(group, g -> {
      List<FirewallRule> result = new ArrayList<>();
      for (Rule r : listRules(g)) {
        if (r.plain()) {
          result.add(r.rule().get());
        }
      }
      return List.copyOf(result);
    });
  }

  @Override
  public FirewallRule allow(String group, FirewallRule rule) {
    Objects.requireNonNull(rule, "rule");
    return withGroup(group, g -> {
      synchronized (lock(g)) {
        List<Rule> rules = listRules(g);
        Optional<FirewallRule> equal = equalRule(rules, rule);
        if (equal.isPresent()) {
          return equal.get();
        }
        return post(g, rules.size(), rule);
      }
    });
  }

  /**
   * Reads the group once (one page per 100 rules), refuses with a {@link ConflictException}
   * before any POST when the missing rules would pass the group's limit, then posts each.
   */
  @Override
  public List<FirewallRule> allowAll(String group, List<FirewallRule> rules) {
    List<FirewallRule> wanted = List.copyOf(Objects.requireNonNull(rules, "rules"));
    return withGroup(group, g -> {
      synchronized (lock(g)) {
        List<Rule> listed = listRules(g);
        List<FirewallRule> missing = new ArrayList<>();
        for (FirewallRule rule : wanted) {
          if (equalRule(listed, rule).isEmpty()
              && missing.stream().noneMatch(m -> FirewallRules.sameTraffic(m, rule))) {
            missing.add(rule);
          }
        }
        if (listed.size() + missing.size() > g.maxRuleCount()) {
          throw new ConflictException("Vultr firewall group " + g.id() + " (" + g.description()
              + ") holds " + listed.size() + " rules and may hold " + g.maxRuleCount()
              + ": adding " + missing.size() + " more would pass that; revoke "
              + (listed.size() + missing.size() - g.maxRuleCount()) + " first", "vultr", 0, null);
        }
        List<FirewallRule> added = new ArrayList<>();
        for (FirewallRule rule : missing) {
          added.add(post(g, listed.size() + added.size(), rule));
        }
        return List.copyOf(added);
      }
    });
  }

  /**
   * Posts {@code rule} to a group of {@code count} rules, none equal to it. When the POST's
   * answer is lost it may have added the rule all the same: the rules are read again and the
   * POST is repeated only if the rule is not there.
   */
  private FirewallRule post(Group g, int count, FirewallRule rule) {
    try {
      return add(g, count, rule);
    } catch (UnavailableException e) {
      List<Rule> now = listRules(g);
      Optional<FirewallRule> added = equalRule(now, rule);
      if (added.isPresent()) {
        LOG.info("Vultr firewall group {}: allowed {} (the answer was lost, the rule is there)",
            g.id(), FirewallRules.describe(rule));
        return added.get();
      }
      LOG.debug("Vultr firewall group {}: the rule was not added ({}); posting it again",
          g.id(), e.getMessage());
      return add(g, now.size(), rule);
    }
  }

  private static Optional<FirewallRule> equalRule(List<Rule> rules, FirewallRule rule) {
    return rules.stream().filter(Rule::plain).map(r -> r.rule().get())
        .filter(r -> FirewallRules.sameTraffic(r, rule)).findFirst();
  }

  /** Posts {@code rule} to a group that holds {@code count} rules (none equal to it). */
  private FirewallRule add(Group g, int count, FirewallRule rule) {
    if (count >= g.maxRuleCount()) {
      throw new ConflictException("Vultr firewall group " + g.id() + " (" + g.description()
          + ") holds " + count + " rules, the most it may (" + g.maxRuleCount()
          + "): revoke one first to add " + FirewallRules.describe(rule), "vultr", 0, null);
    }
    JsonNode created = client.post("/firewalls/" + g.id() + "/rules", VultrJson.create(rule))
        .path("firewall_rule");
    LOG.info("Vultr firewall group {}: allowed {}", g.id(), FirewallRules.describe(rule));
    Rule answer = VultrJson.rule(created);
    return answer.rule().filter(r -> FirewallRules.sameTraffic(r, rule)).orElse(rule);
  }

  @Override
  public boolean revoke(String group, FirewallRule rule) {
    Objects.requireNonNull(rule, "rule");
    return withGroup(group, g -> {
      synchronized (lock(g)) {
        boolean deleted = false;
        for (Rule r : listRules(g)) {
          if (r.plain() && FirewallRules.sameTraffic(r.rule().get(), rule)) {
            // Listed a moment ago: a 404 now means it is gone all the same (perhaps removed by
            // a DELETE whose answer was lost and that was then sent again).
            client.delete("/firewalls/" + g.id() + "/rules/" + r.id());
            deleted = true;
            LOG.info("Vultr firewall group {}: revoked {} (rule {})", g.id(),
                FirewallRules.describe(rule), r.id());
          }
        }
        return deleted;
      }
    });
  }

  /**
   * Runs {@code action} on the group {@code group} names. A group found in the last
   * {@link #GROUP_TTL} is used without asking again (ids never change; a description is
   * rarely moved); when the group is then not found, it is looked up afresh and the action
   * runs once more, so a deleted group is reported by the lookup, with the known groups.
   */
  private <T> T withGroup(String group, Function<Group, T> action) {
    String ref = FirewallOperations.group(group);
    Resolved cached = groups.get(ref);
    if (cached != null && System.nanoTime() - cached.until() < 0) {
      try {
        return action.apply(cached.group());
      } catch (NotFoundException e) {
        groups.remove(ref, cached);
        LOG.debug("Vultr firewall group {} ('{}') is gone: looking it up again", cached.group().id(),
            ref);
      }
    }
    Group g = resolve(ref);
    groups.put(ref, new Resolved(g, System.nanoTime() + GROUP_TTL.toNanos()));
    return action.apply(g);
  }

  private record Resolved(Group group, long until) {}

  /** The group named by its id or its description, asked of the API. */
  private Group resolve(String ref) {
    if (UUID.matcher(ref).matches()) {
      try {
        return VultrJson.group(client.get("/firewalls/" + ref, Map.of()).path("firewall_group"));
      } catch (NotFoundException e) {
        // perhaps a description that looks like an id
      }
    }
    List<Group> all = new ArrayList<>();
    forEachPage("/firewalls", "firewall_groups", n -> all.add(VultrJson.group(n)));
    List<Group> found = all.stream().filter(g -> g.description().equals(ref)).toList();
    if (found.size() == 1) {
      return found.get(0);
    }
    if (found.isEmpty()) {
      List<String> known = all.stream().limit(20)
          .map(g -> "'" + g.description() + "' (" + g.id() + ")").toList();
      throw new NotFoundException("no Vultr firewall group with the id or description '" + ref
          + "'; known: " + (known.isEmpty() ? "none" : String.join(", ", known))
          + (all.size() > known.size() ? ", ..." : ""), "vultr", 404, null);
    }
    throw new InvalidRequestException("the description '" + ref + "' names " + found.size()
        + " Vultr firewall groups: use one of their ids: "
        + found.stream().map(Group::id).toList(), "vultr", 0, null);
  }

  private List<Rule> listRules(Group g) {
    List<Rule> rules = new ArrayList<>();
    forEachPage("/firewalls/" + g.id() + "/rules", "firewall_rules", n -> {
      Rule r = VultrJson.rule(n);
      if (r.rule().isEmpty() && r.source().isEmpty()) {
        LOG.warn("Vultr firewall group {}: rule {} has a shape CodeB does not know; left alone: {}",
            g.id(), r.id(), n);
      }
      rules.add(r);
    });
    return rules;
  }

  private void forEachPage(String path, String field, java.util.function.Consumer<JsonNode> each) {
    String cursor = "";
    java.util.Set<String> seen = new java.util.HashSet<>();
    do {
      Map<String, String> query = new LinkedHashMap<>();
      query.put("per_page", Integer.toString(PAGE));
      if (!cursor.isEmpty()) {
        query.put("cursor", cursor);
      }
      JsonNode page = client.get(path, query);
      page.path(field).forEach(each);
      cursor = page.path("meta").path("links").path("next").asText("");
      if (!cursor.isEmpty() && !seen.add(cursor)) {
        throw new UnavailableException("Vultr API repeated the page cursor of " + path
            + ": stopped instead of looping", "vultr", 0, null);
      }
    } while (!cursor.isEmpty());
  }

  private Object lock(Group g) {
    return locks.computeIfAbsent(g.id(), id -> new Object());
  }

  @Override
  public void close() {
    client.close();
  }
}
