package kr.codeb.caddy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderConfig;
import kr.codeb.caddy.internal.TlsPolicyJson;
import org.junit.jupiter.api.Test;

/** The {@code tls} URI parameter and the internal-issuer policy CodeB writes. */
class CaddyTlsConfigTest {
  private static CaddyConfig from(String uri) {
    return CaddyConfig.from(ProviderConfig.of(URI.create(uri)));
  }

  @Test
  void tlsDefaultsToAutoAndInternalIsRead() {
    assertEquals(CaddyConfig.TLS_AUTO, from("caddy+http://127.0.0.1:2019").tls());
    CaddyConfig internal = from("caddy+http://127.0.0.1:2019?listen=127.0.0.1:8443&tls=internal");
    assertTrue(internal.internalTls());
  }

  @Test
  void badTlsSettingsAreRefused() {
    assertThrows(InvalidRequestException.class,
        () -> from("caddy+http://127.0.0.1:2019?tls=acme-staging"));
    assertThrows(InvalidRequestException.class,
        () -> from("caddy+http://127.0.0.1:2019?tls=internal&auto_https=off"));
  }

  @Test
  void thePolicyNamesTheHostsAndNeverNothing() {
    assertEquals("{\"@id\":\"codeb-tls-codeb\",\"subjects\":[\"a.example\"],"
        + "\"issuers\":[{\"module\":\"internal\"}]}",
        TlsPolicyJson.internalPolicy("codeb", List.of("a.example")).toString());
    String empty = TlsPolicyJson.internalPolicy("codeb", List.of()).get("subjects").get(0).asText();
    assertTrue(empty.matches("codeb-no-host-[0-9a-f]{12}\\.invalid"), empty);
    // one per server: Caddy refuses two policies with the same subject
    assertNotEquals(empty, TlsPolicyJson.internalPolicy("codeb-2", List.of()).get("subjects")
        .get(0).asText());
  }
}
