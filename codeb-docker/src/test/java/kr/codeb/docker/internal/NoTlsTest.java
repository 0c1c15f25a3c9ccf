package kr.codeb.docker.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The transport's TLS context is never usable: a TLS connection fails, it never goes unchecked. */
class NoTlsTest {
  @Test
  void everyUseIsRefusedWithAReason() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> NoTls.INSTANCE.getSocketFactory());
    assertTrue(e.getMessage().contains("does not use TLS"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> NoTls.INSTANCE.createSSLEngine());
    assertThrows(IllegalStateException.class, () -> NoTls.INSTANCE.init(null, null, null));
  }
}
