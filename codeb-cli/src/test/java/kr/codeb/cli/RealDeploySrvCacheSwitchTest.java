package kr.codeb.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import kr.codeb.tck.TestEngines;

/**
 * The Docker scenarios with {@code switch=srv} and the serve-stale DNS cache (the test
 * environment's PowerDNS Recursor, {@code dns_cache=}): the cache is in the path of every SRV
 * lookup and flushed on every switch, and still no request may be lost.
 */
class RealDeploySrvCacheSwitchTest extends RealDeploySrvSwitchTest {
  @Override
  protected String proxyOptions() {
    String api = TestEngines.require("CODEB_TEST_PDNS_RECURSOR_API").strip().replaceFirst("^https?://", "");
    return super.proxyOptions() + "&dns_cache="
        + URLEncoder.encode("powerdns-recursor+http://" + api, StandardCharsets.UTF_8)
        + "&dns_cache_resolver=" + TestEngines.require("CODEB_TEST_PDNS_RECURSOR_DNS").strip();
  }

  @Override
  protected Map<String, String> environment() {
    Map<String, String> env = new HashMap<>(super.environment());
    env.put("CODEB_POWERDNS_RECURSOR_API_KEY",
        TestEngines.require("CODEB_TEST_PDNS_RECURSOR_API_KEY").strip());
    return env;
  }

  @Override
  protected int portRangeStart() {
    return 46700;
  }
}
