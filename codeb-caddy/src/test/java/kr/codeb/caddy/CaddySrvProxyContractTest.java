package kr.codeb.caddy;

import java.net.URI;
import java.util.List;
import java.util.UUID;
import kr.codeb.Secret;
import kr.codeb.model.DnsName;
import kr.codeb.powerdns.PowerDnsConfig;
import kr.codeb.powerdns.PowerDnsProvider;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.tck.ProxyMaintenanceContract;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The reverse-proxy contract with {@code switch=srv}: the real Caddy resolves each route's SRV
 * record at the real PowerDNS of the test environment (a zone of its own per run). Subclasses
 * change the switch (with a DNS cache: {@link CaddySrvCacheProxyContractTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CaddySrvProxyContractTest extends ProxyMaintenanceContract {
  private PowerDnsProvider dns;
  private CaddyProxy proxy;
  private URI traffic;

  /** The switch under test, given the plain SRV switch on the test environment's PowerDNS. */
  CaddySwitch switching(CaddySwitch srv) {
    return srv;
  }

  /** The prefix of this class's zone name. */
  String zonePrefix() {
    return "sw-";
  }

  @BeforeAll
  void open() {
    String admin = TestEngines.require("CODEB_TEST_CADDY_ADMIN");
    String port = TestEngines.require("CODEB_TEST_CADDY_HTTP_PORT");
    URI api = URI.create(TestEngines.require("CODEB_TEST_PDNS_API"));
    dns = PowerDnsProvider.create(PowerDnsConfig.of(api,
        Secret.of(TestEngines.require("CODEB_TEST_PDNS_API_KEY"))));
    DnsName zone = DnsName.of(zonePrefix() + UUID.randomUUID().toString().substring(0, 8)
        + ".codeb-tck.test.");
    CaddySwitch srv = switching(
        CaddySwitch.srv(api, TestEngines.require("CODEB_TEST_PDNS_DNS")).withZone(zone));
    proxy = CaddyProxy.create(CaddyConfig.of(URI.create(admin))
        .withListen(List.of("127.0.0.1:" + port))
        .withAutomaticHttps(false)
        .withSwitching(srv), dns);
    traffic = URI.create("http://127.0.0.1:" + port);
  }

  @AfterAll
  void close() {
    if (proxy != null) {
      proxy.close();
    }
    if (dns != null) {
      dns.close();
    }
  }

  @Override
  protected ReverseProxy proxy() {
    return proxy;
  }

  @Override
  protected URI trafficEndpoint() {
    return traffic;
  }

}
