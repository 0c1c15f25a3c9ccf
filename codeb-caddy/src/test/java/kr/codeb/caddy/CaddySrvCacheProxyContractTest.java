package kr.codeb.caddy;

import java.net.URI;
import java.util.List;
import java.util.UUID;
import kr.codeb.DnsName;
import kr.codeb.ReverseProxy;
import kr.codeb.Secret;
import kr.codeb.powerdns.PowerDnsConfig;
import kr.codeb.powerdns.PowerDnsProvider;
import kr.codeb.tck.ReverseProxyContract;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The reverse-proxy contract with {@code switch=srv} and the serve-stale cache: the real Caddy
 * asks the test environment's PowerDNS Recursor first and its PowerDNS second (a zone of its own
 * per run, which the recursor forwards: it lies under {@code codeb-tck.test.}).
 */
class CaddySrvCacheProxyContractTest extends ReverseProxyContract {
  private static PowerDnsProvider dns;
  private static CaddyProxy proxy;
  private static URI traffic;

  @BeforeAll
  static void open() {
    String admin = TestEngines.require("CODEB_TEST_CADDY_ADMIN");
    String port = TestEngines.require("CODEB_TEST_CADDY_HTTP_PORT");
    URI api = URI.create(TestEngines.require("CODEB_TEST_PDNS_API"));
    dns = PowerDnsProvider.create(PowerDnsConfig.of(api,
        Secret.of(TestEngines.require("CODEB_TEST_PDNS_API_KEY"))));
    DnsName zone = DnsName.of("swc-" + UUID.randomUUID().toString().substring(0, 8) + ".codeb-tck.test.");
    DnsCache cache = DnsCache.of(URI.create(TestEngines.require("CODEB_TEST_PDNS_RECURSOR_API")),
        TestEngines.require("CODEB_TEST_PDNS_RECURSOR_DNS"),
        Secret.of(TestEngines.require("CODEB_TEST_PDNS_RECURSOR_API_KEY")));
    CaddySwitch srv = CaddySwitch.srv(api, TestEngines.require("CODEB_TEST_PDNS_DNS")).withZone(zone)
        .withCache(cache);
    proxy = CaddyProxy.create(CaddyConfig.of(URI.create(admin))
        .withListen(List.of("127.0.0.1:" + port))
        .withAutomaticHttps(false)
        .withSwitching(srv), dns);
    traffic = URI.create("http://127.0.0.1:" + port);
  }

  @AfterAll
  static void close() {
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
