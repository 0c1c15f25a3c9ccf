package kr.codeb.mcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The last guard: secret values are masked wherever they appear. */
class RedactionTest {
  @Test
  void variablesNamedAsSecretsAndAppValuesAreMasked() {
    Redaction r = Redaction.ofEnvironment(Map.of("VULTR_API_KEY", "k-123456",
        "CODEB_POWERDNS_API_KEY", "pdns-secret", "HOME", "/root", "DB_PASSWORD", "pw-98765"))
        .with(List.of("app-value-1", "abc"));
    assertEquals("key [redacted], pdns [redacted], pw [redacted], home /root, app [redacted],"
        + " short abc", r.apply("key k-123456, pdns pdns-secret, pw pw-98765, home /root, app"
        + " app-value-1, short abc"));
  }

  @Test
  void aSecretInsideALongerOneIsMaskedWhole() {
    Redaction r = Redaction.ofEnvironment(Map.of()).with(List.of("token", "token-extended"));
    assertEquals("[redacted] and [redacted]", r.apply("token-extended and token"));
  }
}
