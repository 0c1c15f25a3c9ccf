package kr.codeb.caddy;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import kr.codeb.ProviderRegistry;
import kr.codeb.fleet.ServerLink;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.tck.ProxyMaintenanceContract;
import kr.codeb.tck.TestEngines;
import kr.codeb.tck.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The reverse-proxy contract with the SRV switch and the recursor cache, where Caddy, PowerDNS
 * and the recursor are an "edge server" reached only through its sshd (sshd-b): the proxy URI
 * names their APIs as the edge sees them, and every API call travels through a forward.
 * Maintenance mode lives in files on the edge, written over the same SSH link.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CaddyOverSshContractTest extends ProxyMaintenanceContract {
  private ServerLink edge;
  private ReverseProxy proxy;
  private URI traffic;
  private String maintenanceDir;

  @BeforeAll
  void open() {
    String port = TestEngines.require("CODEB_TEST_CADDY_HTTP_PORT");
    maintenanceDir = "/tmp/codeb-maintenance-" + UUID.randomUUID().toString().substring(0, 8);
    String zone = "ssh-" + UUID.randomUUID().toString().substring(0, 8) + ".codeb-tck.test.";
    String uri = TestEngines.require("CODEB_TEST_CADDY_ADMIN").replace("http://", "caddy+http://")
        + "?listen=127.0.0.1:" + port + "&auto_https=off"
        + "&dns=" + enc("powerdns+" + TestEngines.require("CODEB_TEST_PDNS_API"))
        + "&dns_resolver=" + TestEngines.require("CODEB_TEST_PDNS_DNS")
        + "&srv_zone=" + zone
        + "&dns_cache=" + enc("powerdns-recursor+"
            + TestEngines.require("CODEB_TEST_PDNS_RECURSOR_API"))
        + "&dns_cache_resolver=" + TestEngines.require("CODEB_TEST_PDNS_RECURSOR_DNS")
        + "&maintenance_dir=" + maintenanceDir;
    Map<String, String> keys = Map.of(
        "CODEB_POWERDNS_API_KEY", TestEngines.require("CODEB_TEST_PDNS_API_KEY"),
        "CODEB_POWERDNS_RECURSOR_API_KEY", TestEngines.require("CODEB_TEST_PDNS_RECURSOR_API_KEY"));
    ProviderRegistry registry = ProviderRegistry.load(keys::get);
    edge = registry.serverLink(TestServers.b("edge"));
    proxy = registry.on(edge).reverseProxy(uri);
    traffic = URI.create("http://127.0.0.1:" + port);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @AfterAll
  void close() {
    if (proxy != null) {
      proxy.close();
    }
    if (edge != null) {
      edge.run("rm -rf " + maintenanceDir, java.time.Duration.ofSeconds(30));
      edge.close();
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
