package kr.codeb.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import kr.codeb.tck.TestEngines;

/**
 * The Docker scenarios again with Caddy switching through an SRV record in PowerDNS
 * ({@code switch=srv}): no config reload per switch, so the keep-alive and new-connection
 * clients must lose no request over the repeated deploys, promotes and rollbacks.
 */
class RealDeploySrvSwitchTest extends RealDeployDockerTest {
  @Override
  protected String proxyOptions() {
    String api = TestEngines.require("CODEB_TEST_PDNS_API").strip().replaceFirst("^https?://", "");
    String dns = TestEngines.require("CODEB_TEST_PDNS_DNS").strip();
    return "&switch=srv&dns=" + URLEncoder.encode("powerdns+http://" + api, StandardCharsets.UTF_8)
        + "&dns_resolver=" + dns;
  }

  @Override
  protected Map<String, String> environment() {
    return Map.of("CODEB_POWERDNS_API_KEY", TestEngines.require("CODEB_TEST_PDNS_API_KEY").strip());
  }

  @Override
  protected boolean zeroDropSwitch() {
    return true;
  }

  @Override
  protected int portRangeStart() {
    return 46500;
  }
}
