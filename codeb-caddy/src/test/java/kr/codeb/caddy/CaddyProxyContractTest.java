package kr.codeb.caddy;

import java.net.URI;
import java.util.List;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.tck.ProxyMaintenanceContract;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The reverse-proxy contract against the real Caddy of the test environment. */
class CaddyProxyContractTest extends ProxyMaintenanceContract {
  private static CaddyProxy proxy;
  private static URI traffic;

  @BeforeAll
  static void open() {
    String admin = TestEngines.require("CODEB_TEST_CADDY_ADMIN");
    String port = TestEngines.require("CODEB_TEST_CADDY_HTTP_PORT");
    proxy = CaddyProxy.create(CaddyConfig.of(URI.create(admin))
        .withListen(List.of("127.0.0.1:" + port))
        .withAutomaticHttps(false));
    traffic = URI.create("http://127.0.0.1:" + port);
  }

  @AfterAll
  static void close() {
    if (proxy != null) {
      proxy.close();
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
