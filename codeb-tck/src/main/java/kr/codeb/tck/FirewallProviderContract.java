package kr.codeb.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import kr.codeb.ConflictException;
import kr.codeb.NotFoundException;
import kr.codeb.firewall.FirewallProvider;
import kr.codeb.firewall.FirewallRule;
import kr.codeb.firewall.FirewallRules;
import kr.codeb.firewall.Protocol;
import kr.codeb.model.IpAddress;
import kr.codeb.ports.PortRange;
import org.junit.jupiter.api.Test;

/**
 * What every {@link FirewallProvider} must do. A provider's test extends this once and says
 * which provider to use and how to get an empty group for one test.
 *
 * <p>Rules are compared by the traffic they let in (protocol, ports, subnet, prefix), never by
 * their note. All rules this suite adds come from {@code 198.51.100.0/24} or
 * {@code 2001:db8::/32} (documentation ranges) and carry a note starting with
 * {@code codeb-tck}.
 */
public abstract class FirewallProviderContract {
  /** The provider under test (the same object for every test is fine). */
  protected abstract FirewallProvider firewall();

  /**
   * A group (its id or its description) holding no rules, with the usual limit of 50 rules;
   * called once per test.
   */
  protected abstract String emptyGroup();

  /** A group reference that names no group. */
  protected String unknownGroup() {
    return UUID.randomUUID().toString();
  }

  private static FirewallRule tcp(int port, String from) {
    return new FirewallRule(Protocol.TCP, Optional.of(new PortRange(port, port)), IpAddress.of(from), 32,
        "codeb-tck " + port);
  }

  @Test
  public final void allowedRuleIsListed() {
    String group = emptyGroup();
    FirewallRule rule = tcp(5432, "198.51.100.7");
    FirewallRule added = firewall().allow(group, rule);
    assertTrue(FirewallRules.sameTraffic(rule, added), () -> "allow returned " + added);
    List<FirewallRule> rules = firewall().rules(group);
    assertEquals(1, rules.size(), () -> "rules: " + rules);
    assertTrue(FirewallRules.sameTraffic(rule, rules.get(0)), () -> "listed " + rules);
    assertEquals("codeb-tck 5432", rules.get(0).note());
  }

  @Test
  public final void allowingTwiceKeepsOneRuleAndReturnsIt() {
    String group = emptyGroup();
    FirewallRule first = firewall().allow(group, tcp(6379, "198.51.100.8"));
    FirewallRule again = firewall().allow(group, tcp(6379, "198.51.100.8"));
    assertEquals(first, again);
    FirewallRule otherNote = new FirewallRule(Protocol.TCP, Optional.of(new PortRange(6379, 6379)),
        IpAddress.of("198.51.100.8"), 32, "codeb-tck another note");
    assertEquals(first, firewall().allow(group, otherNote), "the note is not part of equality");
    assertEquals(1, firewall().rules(group).size());
  }

  @Test
  public final void revokeIsTrueThenFalse() {
    String group = emptyGroup();
    FirewallRule rule = new FirewallRule(Protocol.UDP, Optional.of(new PortRange(8000, 8999)),
        IpAddress.of("198.51.100.0"), 24, "codeb-tck range");
    firewall().allow(group, rule);
    FirewallRule keep = tcp(443, "198.51.100.9");
    firewall().allow(group, keep);
    assertTrue(firewall().revoke(group, rule));
    assertFalse(firewall().revoke(group, rule));
    List<FirewallRule> rules = firewall().rules(group);
    assertEquals(1, rules.size(), () -> "rules: " + rules);
    assertTrue(FirewallRules.sameTraffic(keep, rules.get(0)));
  }

  @Test
  public final void revokeIgnoresTheNote() {
    String group = emptyGroup();
    firewall().allow(group, tcp(22, "198.51.100.10"));
    FirewallRule noNote = new FirewallRule(Protocol.TCP, Optional.of(new PortRange(22, 22)),
        IpAddress.of("198.51.100.10"), 32, "");
    assertTrue(firewall().revoke(group, noNote));
    assertTrue(firewall().rules(group).isEmpty());
  }

  @Test
  public final void unknownGroupIsNotFound() {
    String unknown = unknownGroup();
    assertThrows(NotFoundException.class, () -> firewall().rules(unknown));
    assertThrows(NotFoundException.class,
        () -> firewall().allow(unknown, tcp(80, "198.51.100.11")));
    assertThrows(NotFoundException.class,
        () -> firewall().revoke(unknown, tcp(80, "198.51.100.11")));
  }

  @Test
  public final void icmpHasNoPort() {
    String group = emptyGroup();
    FirewallRule icmp = new FirewallRule(Protocol.ICMP, Optional.empty(), IpAddress.of("198.51.100.0"),
        24, "codeb-tck ping");
    FirewallRule added = firewall().allow(group, icmp);
    assertEquals(Protocol.ICMP, added.protocol());
    assertTrue(added.ports().isEmpty());
    assertTrue(FirewallRules.sameTraffic(icmp, firewall().rules(group).get(0)));
    assertTrue(firewall().revoke(group, icmp));
  }

  @Test
  public final void ipv6RulesWork() {
    String group = emptyGroup();
    FirewallRule v6 = new FirewallRule(Protocol.TCP, Optional.of(new PortRange(443, 443)),
        IpAddress.of("2001:db8::"), 32, "codeb-tck v6");
    FirewallRule added = firewall().allow(group, v6);
    assertTrue(FirewallRules.sameTraffic(v6, added), () -> "added " + added);
    assertFalse(added.subnet().isV4());
    assertEquals(added, firewall().allow(group, v6));
    assertEquals(1, firewall().rules(group).size());
    assertTrue(firewall().revoke(group, v6));
    assertFalse(firewall().revoke(group, v6));
  }

  @Test
  public final void theFiftyFirstRuleIsAConflict() {
    String group = emptyGroup();
    for (int i = 0; i < 50; i++) {
      firewall().allow(group, tcp(10000 + i, "198.51.100.12"));
    }
    ConflictException e = assertThrows(ConflictException.class,
        () -> firewall().allow(group, tcp(11000, "198.51.100.12")));
    assertTrue(e.getMessage().contains("50"), e.getMessage());
    assertEquals(50, firewall().rules(group).size());
    // An equal rule is still found, not refused: allow is idempotent even in a full group.
    assertEquals(10007, firewall().allow(group, tcp(10007, "198.51.100.12")).ports()
        .orElseThrow().start());
  }

  @Test
  public final void allowAllAddsEachMissingRuleOnceAndReturnsOnlyThose() {
    String group = emptyGroup();
    FirewallRule there = firewall().allow(group, tcp(6001, "198.51.100.20"));
    FirewallRule second = tcp(6002, "198.51.100.20");
    FirewallRule secondAgain = new FirewallRule(Protocol.TCP, second.ports(), second.subnet(),
        second.prefix(), "another note, the same traffic");
    FirewallRule third = tcp(6003, "198.51.100.21");
    List<FirewallRule> added = firewall().allowAll(group,
        List.of(there, second, secondAgain, third));
    assertEquals(2, added.size(), () -> "added: " + added);
    assertTrue(FirewallRules.sameTraffic(second, added.get(0)), () -> "added: " + added);
    assertTrue(FirewallRules.sameTraffic(third, added.get(1)), () -> "added: " + added);
    assertEquals(3, firewall().rules(group).size());
    assertEquals(List.of(), firewall().allowAll(group, List.of(third, second, there)),
        "a second call adds nothing");
    assertEquals(3, firewall().rules(group).size());
  }

  @Test
  public final void allowAllOfNothingChangesNothing() {
    String group = emptyGroup();
    assertEquals(List.of(), firewall().allowAll(group, List.of()));
    assertEquals(List.of(), firewall().rules(group));
  }

  @Test
  public final void allowAllNeverPassesTheLimit() {
    String group = emptyGroup();
    for (int i = 0; i < 49; i++) {
      firewall().allow(group, tcp(10000 + i, "198.51.100.14"));
    }
    List<FirewallRule> three = List.of(tcp(11000, "198.51.100.14"), tcp(11001, "198.51.100.14"),
        tcp(11002, "198.51.100.14"));
    ConflictException e = assertThrows(ConflictException.class,
        () -> firewall().allowAll(group, three));
    assertTrue(e.getMessage().contains("50"), e.getMessage());
    int count = firewall().rules(group).size();
    assertTrue(count == 49 || count == 50, "rules after the refused call: " + count);
  }

  @Test
  public final void allowAllOnAnUnknownGroupIsNotFound() {
    assertThrows(NotFoundException.class,
        () -> firewall().allowAll(unknownGroup(), List.of(tcp(6010, "198.51.100.22"))));
  }

  @Test
  public final void concurrentAllowsOfDifferentRulesAreAllKept() throws Exception {
    String group = emptyGroup();
    int n = 12;
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<FirewallRule>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int port = 20000 + i;
        futures.add(pool.submit(() -> firewall().allow(group, tcp(port, "198.51.100.13"))));
      }
      for (Future<FirewallRule> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    List<FirewallRule> rules = firewall().rules(group);
    Set<Integer> ports = new HashSet<>();
    rules.forEach(r -> ports.add(r.ports().orElseThrow().start()));
    assertEquals(n, rules.size(), () -> "rules: " + rules);
    for (int i = 0; i < n; i++) {
      assertTrue(ports.contains(20000 + i), "missing port " + (20000 + i));
    }
  }
}
