package kr.codeb.vultr;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.util.Map;
import kr.codeb.ProviderConfig;
import kr.codeb.firewall.FirewallProvider;
import kr.codeb.firewall.FirewallRule;
import kr.codeb.tck.FirewallProviderContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract against the real Vultr API. It runs only when both {@code CODEB_VULTR_API_KEY}
 * and {@code CODEB_VULTR_TEST_GROUP} (the id or description of a firewall group kept for tests,
 * attached to no server that matters) are set; otherwise every test is skipped by a JUnit
 * assumption. It never runs in this project's own builds and CI: they have no internet access.
 *
 * <p>Careful: before each test it deletes every rule of that group, and one test fills the group
 * to its 50-rule limit.
 */
class VultrFirewallLiveTest extends FirewallProviderContract {
  private static FirewallProvider firewall;
  private static String group;

  @BeforeAll
  static void open() {
    String key = System.getenv("CODEB_VULTR_API_KEY");
    group = System.getenv("CODEB_VULTR_TEST_GROUP");
    assumeTrue(key != null && !key.isBlank() && group != null && !group.isBlank(),
        "CODEB_VULTR_API_KEY and CODEB_VULTR_TEST_GROUP are not both set: the live Vultr test"
            + " is skipped");
    firewall = new VultrFirewallFactory().create(
        new ProviderConfig(URI.create("vultr:///"), Map.of(), System::getenv));
  }

  @AfterAll
  static void close() {
    if (firewall != null) {
      firewall.close();
    }
  }

  @Override
  protected FirewallProvider firewall() {
    return firewall;
  }

  @Override
  protected String emptyGroup() {
    for (FirewallRule r : firewall.rules(group)) {
      firewall.revoke(group, r);
    }
    return group;
  }
}
