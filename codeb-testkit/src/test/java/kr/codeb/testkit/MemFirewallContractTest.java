package kr.codeb.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderRegistry;
import kr.codeb.firewall.FirewallProvider;
import kr.codeb.firewall.FirewallRule;
import kr.codeb.firewall.Protocol;
import kr.codeb.model.IpAddress;
import kr.codeb.ports.PortRange;
import kr.codeb.tck.FirewallProviderContract;
import org.junit.jupiter.api.Test;

class MemFirewallContractTest extends FirewallProviderContract {
  private final MemFirewall firewall = MemFirewall.create();

  @Override
  protected FirewallProvider firewall() {
    return firewall;
  }

  @Override
  protected String emptyGroup() {
    return firewall.createGroup("codeb-tck");
  }

  private static final FirewallRule RULE = new FirewallRule(Protocol.TCP,
      Optional.of(new PortRange(5432, 5432)), IpAddress.of("10.0.0.2"), 32, "db");

  @Test
  void groupsAreFoundByIdOrDescription() {
    String id = firewall.createGroup("storage");
    firewall.allow("storage", RULE);
    assertEquals(1, firewall.rules(id).size());
    assertEquals(id, firewall.ensureGroup("storage"));
  }

  @Test
  void anAmbiguousDescriptionListsTheIds() {
    String one = firewall.createGroup("twice");
    String two = firewall.createGroup("twice");
    InvalidRequestException e =
        assertThrows(InvalidRequestException.class, () -> firewall.rules("twice"));
    assertTrue(e.getMessage().contains(one) && e.getMessage().contains(two), e.getMessage());
  }

  @Test
  void foundThroughTheRegistryAndSharedByName() {
    ProviderRegistry registry = ProviderRegistry.load();
    try (FirewallProvider a = registry.firewallProvider("mem:fw-shared?groups=web,db");
        FirewallProvider b = registry.firewallProvider("mem:fw-shared")) {
      assertInstanceOf(MemFirewall.class, a);
      a.allow("web", RULE);
      assertEquals(1, b.rules("web").size());
      assertTrue(b.rules("db").isEmpty());
    }
    assertThrows(InvalidRequestException.class,
        () -> registry.firewallProvider("mem:x?listen=1"));
  }
}
