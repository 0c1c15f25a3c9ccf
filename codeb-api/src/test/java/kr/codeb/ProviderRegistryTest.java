package kr.codeb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderRegistryTest {

  @Test
  void providerRegistryNamesTheKnownSchemes() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> ProviderRegistry.load().reverseProxy("nginx://127.0.0.1"));
    assertTrue(e.getMessage().contains("unknown proxy scheme 'nginx'"), e.getMessage());
    assertTrue(e.getMessage().contains("known:"), e.getMessage());
    assertThrows(InvalidRequestException.class,
        () -> ProviderRegistry.load().containerRuntime("no scheme here"));
    assertEquals("file", ProviderRegistry.ssotUri("/opt/codeb/registry/ssot.json").getScheme());
    assertEquals("file", ProviderRegistry.ssotUri("relative/ssot.json").getScheme());
    assertEquals("mem", ProviderRegistry.ssotUri("mem:demo").getScheme());
    assertEquals("mem", ProviderRegistry.ssotUri("mem:").getScheme());
    InvalidRequestException bad = assertThrows(InvalidRequestException.class,
        () -> ProviderRegistry.load().reverseProxy("caddy+http://admin:hunter2@127.0.0.1:2019/ bad"));
    assertFalse(bad.getMessage().contains("hunter2"), bad.getMessage());
    InvalidRequestException noDocker = assertThrows(InvalidRequestException.class,
        () -> ProviderRegistry.load().containerRuntime("nodocker://"));
    assertTrue(noDocker.getMessage().contains("unknown runtime scheme 'nodocker'"),
        noDocker.getMessage());
  }

  @Test
  void providerConfigLooksUpSecretsInTheDocumentedOrder() {
    Map<String, String> env = Map.of("CODEB_VULTR_API_KEY", "from-codeb", "VULTR_API_KEY", "vendor");
    ProviderConfig c = new ProviderConfig(java.net.URI.create("vultr:///?x=1&listen=a&listen=b"),
        Map.of(), env::get);
    assertEquals("from-codeb", c.secret("vultr", "api-key", "VULTR_API_KEY").orElseThrow().reveal());
    ProviderConfig vendorOnly = new ProviderConfig(java.net.URI.create("vultr:///"), Map.of(),
        Map.of("VULTR_API_KEY", "vendor")::get);
    assertEquals("vendor",
        vendorOnly.secret("vultr", "api-key", "VULTR_API_KEY").orElseThrow().reveal());
    assertEquals(List.of("a", "b"), c.queryAll("listen"));
    assertThrows(InvalidRequestException.class, () -> ProviderConfig.of(
        java.net.URI.create("docker+ssh://root:pw@host")));
  }
}
