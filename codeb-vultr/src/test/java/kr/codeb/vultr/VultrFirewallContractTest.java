package kr.codeb.vultr;

import kr.codeb.firewall.FirewallProvider;
import kr.codeb.tck.FirewallProviderContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The Vultr adapter against the stateful fake, every request checked against Vultr's document. */
class VultrFirewallContractTest extends FirewallProviderContract {
  private static VultrFake fake;
  private static VultrFirewall firewall;

  @BeforeAll
  static void start() {
    fake = new VultrFake();
    firewall = VultrFirewall.create(fake.config());
  }

  @AfterAll
  static void stop() {
    firewall.close();
    fake.close();
  }

  @AfterEach
  void requestsMatchVultrsApi() {
    fake.assertNoViolations();
  }

  @Override
  protected FirewallProvider firewall() {
    return firewall;
  }

  @Override
  protected String emptyGroup() {
    // Many groups, so that finding one by description pages through the list.
    return fake.createGroup("codeb-tck " + System.nanoTime());
  }
}
