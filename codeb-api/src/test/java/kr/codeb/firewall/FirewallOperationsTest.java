package kr.codeb.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.ProviderInfo;
import kr.codeb.fleet.Role;
import kr.codeb.fleet.Server;
import kr.codeb.fleet.Topology;
import kr.codeb.model.IpAddress;
import org.junit.jupiter.api.Test;

class FirewallOperationsTest {
  /** A one-group firewall, enough for the operations (the providers have their own contract). */
  static final class OneGroup implements FirewallProvider {
    final List<FirewallRule> rules = new ArrayList<>();
    int allows;

    @Override
    public ProviderInfo info() {
      return new ProviderInfo("test", "one group");
    }

    private void check(String group) {
      if (!group.equals("fw-storage")) {
        throw new NotFoundException("no group " + group);
      }
    }

    @Override
    public List<FirewallRule> rules(String group) {
      check(group);
      return List.copyOf(rules);
    }

    @Override
    public FirewallRule allow(String group, FirewallRule rule) {
      check(group);
      allows++;
      rules.add(rule);
      return rule;
    }

    @Override
    public boolean revoke(String group, FirewallRule rule) {
      check(group);
      return rules.removeIf(r -> FirewallRules.sameTraffic(r, rule));
    }

    @Override
    public void close() {}
  }

  static final Topology FLEET = new Topology(List.of(
      new Server("app1", Set.of(Role.APP), IpAddress.of("203.0.113.10"), IpAddress.of("10.0.0.10"),
          Server.LOOPBACK, Optional.empty(), Map.<String, URI>of()),
      new Server("storage", Set.of(Role.STORAGE), IpAddress.of("203.0.113.20"),
          IpAddress.of("10.0.0.20"), Server.LOOPBACK, Optional.of("fw-storage"), Map.of())));

  @Test
  void openPortAllowsTheOtherServersPrivateAddressOnce() {
    OneGroup fw = new OneGroup();
    FirewallOperations ops = new FirewallOperations(fw);
    FirewallOperations.Change first = ops.openPort(FLEET, "storage", "app1", 5432, null);
    assertTrue(first.changed());
    assertEquals("fw-storage", first.group());
    assertEquals(FirewallRules.parse("tcp", "5432", "10.0.0.10/32", null).subnet(),
        first.rule().subnet());
    assertEquals(32, first.rule().prefix());
    FirewallOperations.Change second = ops.openPort(FLEET, "storage", "app1", 5432, "tcp");
    assertFalse(second.changed());
    assertEquals(1, fw.allows);
    assertEquals(1, fw.rules.size());
  }

  @Test
  void openPortRefusesWhatCannotWork() {
    FirewallOperations ops = new FirewallOperations(new OneGroup());
    assertThrows(InvalidRequestException.class, () -> ops.openPort(FLEET, "app1", "storage", 80, "tcp"));
    assertThrows(NotFoundException.class, () -> ops.openPort(FLEET, "nobody", "app1", 80, "tcp"));
    assertThrows(InvalidRequestException.class, () -> ops.openPort(FLEET, "storage", "app1", 0, "tcp"));
    assertThrows(InvalidRequestException.class, () -> ops.openPort(FLEET, "storage", "app1", 7, "icmp"));
    assertTrue(ops.openPort(FLEET, "storage", "app1", 0, "icmp").changed());
  }

  @Test
  void allowAndRevokeReportChanges() {
    OneGroup fw = new OneGroup();
    FirewallOperations ops = new FirewallOperations(fw);
    FirewallRule rule = FirewallRules.parse("tcp", "6379", "10.0.0.10", "redis");
    assertTrue(ops.allow("fw-storage", rule).changed());
    assertFalse(ops.allow("fw-storage", rule).changed());
    assertTrue(ops.revoke("fw-storage", rule).changed());
    assertFalse(ops.revoke("fw-storage", rule).changed());
    assertThrows(InvalidRequestException.class, () -> ops.allow(" ", rule));
  }
}
