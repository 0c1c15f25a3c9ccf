package kr.codeb.powerdns;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import kr.codeb.ProviderRegistry;
import kr.codeb.dns.DnsProvider;
import kr.codeb.fleet.ServerLink;
import kr.codeb.model.DnsName;
import kr.codeb.tck.DnsProviderContract;
import kr.codeb.tck.TestEngines;
import kr.codeb.tck.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DNS contract against the test environment's PowerDNS as an "edge server" API reached only
 * through its sshd (sshd-b): the URI names the API as the edge sees it.
 */
class PowerDnsOverSshContractTest extends DnsProviderContract {
  private static ServerLink edge;
  private static DnsProvider dns;

  @BeforeAll
  static void open() {
    Map<String, String> env = Map.of("CODEB_POWERDNS_API_KEY",
        TestEngines.require("CODEB_TEST_PDNS_API_KEY"));
    ProviderRegistry registry = ProviderRegistry.load(env::get);
    edge = registry.serverLink(TestServers.b("edge"));
    dns = registry.on(edge).dnsProvider(
        "powerdns+" + TestEngines.require("CODEB_TEST_PDNS_API") + "?server=localhost");
  }

  @AfterAll
  static void close() {
    if (dns != null) {
      dns.close();
    }
    if (edge != null) {
      edge.close();
    }
  }

  @Override
  protected DnsProvider provider() {
    return dns;
  }

  @Override
  protected void removeZone(DnsName zone) {
    ((PowerDnsProvider) dns).deleteZone(zone);
  }

  @Test
  void aClosedLinkLeavesTheApiUnreachableAndSaysWhichServer() {
    Map<String, String> env = Map.of("CODEB_POWERDNS_API_KEY",
        TestEngines.require("CODEB_TEST_PDNS_API_KEY"));
    ProviderRegistry registry = ProviderRegistry.load(env::get);
    ServerLink link = registry.serverLink(TestServers.b("edge2"));
    DnsProvider onEdge = registry.on(link).dnsProvider(
        "powerdns+" + TestEngines.require("CODEB_TEST_PDNS_API") + "?server=localhost");
    link.close();
    RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
        () -> onEdge.zones());
    onEdge.close();
    assertTrue(e.getMessage().contains("on edge2"), e.getMessage());
  }
}
