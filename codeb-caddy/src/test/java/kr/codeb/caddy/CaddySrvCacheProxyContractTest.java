package kr.codeb.caddy;

import java.net.URI;
import kr.codeb.Secret;
import kr.codeb.tck.TestEngines;

/**
 * The reverse-proxy contract with {@code switch=srv} and the serve-stale cache: the real Caddy
 * asks the test environment's PowerDNS Recursor first and its PowerDNS second (a zone of its own
 * per run, which the recursor forwards: it lies under {@code codeb-tck.test.}).
 */
class CaddySrvCacheProxyContractTest extends CaddySrvProxyContractTest {
  @Override
  CaddySwitch switching(CaddySwitch srv) {
    return srv.withCache(DnsCache.of(URI.create(TestEngines.require("CODEB_TEST_PDNS_RECURSOR_API")),
        TestEngines.require("CODEB_TEST_PDNS_RECURSOR_DNS"),
        Secret.of(TestEngines.require("CODEB_TEST_PDNS_RECURSOR_API_KEY"))));
  }

  @Override
  String zonePrefix() {
    return "swc-";
  }
}
