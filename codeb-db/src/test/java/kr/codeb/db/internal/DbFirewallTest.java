package kr.codeb.db.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import kr.codeb.db.DbKind;
import kr.codeb.firewall.FirewallRule;
import kr.codeb.firewall.Protocol;
import kr.codeb.model.Environment;
import kr.codeb.model.IpAddress;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.PortRange;
import org.junit.jupiter.api.Test;

/** Which of a database's firewall rules go when the project's app servers change. */
class DbFirewallTest {
  static final Names SHOP = new Names(ProjectName.of("shop"), Environment.of("production"),
      DbKind.POSTGRES);
  static final IpAddress APP1 = IpAddress.of("10.0.0.1");
  static final IpAddress APP2 = IpAddress.of("10.0.0.2");

  @Test
  void onlyThisDatabasesRulesFromServersNoLongerPlacedAreStale() {
    FirewallRule one = DbFirewall.rule(SHOP, 5432, APP1);
    FirewallRule two = DbFirewall.rule(SHOP, 5432, APP2);
    FirewallRule otherPort = DbFirewall.rule(SHOP, 5433, APP2);
    FirewallRule byHand = new FirewallRule(Protocol.TCP, Optional.of(new PortRange(5432, 5432)),
        APP2, 32, "ops vpn");
    List<FirewallRule> existing = List.of(one, two, otherPort, byHand);
    assertEquals(List.of(two), DbFirewall.stale(existing, SHOP, 5432, List.of(APP1)),
        "app2 left the placement: its rule for this database goes, nothing else");
    assertEquals(List.of(), DbFirewall.stale(existing, SHOP, 5432, List.of(APP1, APP2)));
    assertEquals(List.of(), DbFirewall.stale(existing, SHOP, 5432, List.of()),
        "without known app servers nothing is taken away");
  }
}
