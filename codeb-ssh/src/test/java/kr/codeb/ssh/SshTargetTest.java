package kr.codeb.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing and validation of the module's records: bad input is refused with a clear message. */
class SshTargetTest {

  @Test
  void parsesUserHostAndPort() {
    assertEquals(new SshTarget("root", "203.0.113.7", 22), SshTarget.parse("root@203.0.113.7"));
    assertEquals(new SshTarget("deploy", "app1.example.com", 2222),
        SshTarget.parse("deploy@app1.example.com:2222"));
    assertEquals(new SshTarget("root", "2001:db8::1", 2200), SshTarget.parse("root@[2001:db8::1]:2200"));
    assertEquals(new SshTarget("root", "2001:db8::1", 22), SshTarget.parse("root@[2001:db8::1]"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"root@203.0.113.7", "deploy@app1.example.com:2222",
      "root@[2001:db8::1]:2200", "a.b-c_d@h"})
  void toStringParsesBack(String text) {
    assertEquals(text, SshTarget.parse(text).toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "203.0.113.7", "@host", "root@", "root@host:", "root@host:0",
      "root@host:65536", "root@host:22x", "root@2001:db8::1", "root@[2001:db8::1", "-x@host",
      "ro ot@host", "root@ho st", "root@host;rm", "root@-host", "root@[::1]x"})
  void refusesBadTargets(String text) {
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> SshTarget.parse(text));
    assertTrue(e.getMessage().contains("SSH"), e.getMessage());
  }

  @Test
  void badTargetMessageShowsTheAllowedForm() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> SshTarget.parse("justahost"));
    assertTrue(e.getMessage().contains("user@host[:port]"), e.getMessage());
    assertTrue(e.getMessage().contains("'justahost'"), e.getMessage());
  }

  @Test
  void configDefaultsAndChecks() {
    SshConfig c = SshConfig.of(Path.of("/k"));
    assertEquals(SshConfig.defaultKnownHosts(), c.knownHosts());
    assertEquals(Optional.empty(), c.passphraseVariable());
    assertEquals(Duration.ofSeconds(10), c.connectTimeout());
    assertEquals("CODEB_PASS", c.withPassphraseVariable("CODEB_PASS").passphraseVariable().orElseThrow());
    assertThrows(InvalidRequestException.class, () -> c.withPassphraseVariable("not a name"));
    assertThrows(InvalidRequestException.class, () -> c.withPassphraseVariable("1ABC"));
    assertThrows(InvalidRequestException.class, () -> c.withTimeouts(Duration.ZERO, Duration.ofSeconds(1)));
    assertThrows(InvalidRequestException.class, () -> c.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(-1)));
    assertThrows(InvalidRequestException.class, () -> c.withServerName("Bad Name"));
    assertThrows(InvalidRequestException.class, () -> new SshConfig(null, Optional.empty(),
        Path.of("/kh"), Duration.ofSeconds(1), Duration.ofSeconds(1), Optional.empty()));
  }

  @Test
  void fileOwnerIsNumeric() {
    assertEquals(new FileOwner(1000, 100), FileOwner.parse("1000:100"));
    assertThrows(InvalidRequestException.class, () -> FileOwner.parse("root:root"));
    assertThrows(InvalidRequestException.class, () -> FileOwner.parse("1000"));
    assertThrows(InvalidRequestException.class, () -> FileOwner.parse("99999999999:0"));
    assertThrows(InvalidRequestException.class, () -> new FileOwner(-1, 0));
  }

  @Test
  void fingerprintsMustBeSha256() {
    String good = "SHA256:FzTrinXW98JU0S+fx/vXEyj4cubjbfYCxZLipoAg5RI";
    assertEquals(good, HostKey.checkFingerprint(good));
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> HostKey.checkFingerprint("MD5:12:34"));
    assertTrue(e.getMessage().contains("SHA256:"), e.getMessage());
    assertThrows(InvalidRequestException.class, () -> HostKey.checkFingerprint(good + "x"));
  }

  @Test
  void knownHostsNameUsesBracketsOffPort22() {
    assertEquals("203.0.113.7", HostKey.knownHostsName(SshTarget.parse("root@203.0.113.7")));
    assertEquals("[203.0.113.7]:2222", HostKey.knownHostsName(SshTarget.parse("root@203.0.113.7:2222")));
  }

  @Test
  void execResultHidesOutputInToString() {
    ExecResult r = new ExecResult(0, "secret-token-123", "", false, false);
    assertFalse(r.toString().contains("secret-token-123"));
    assertTrue(r.succeeded());
    assertThrows(InvalidRequestException.class, () -> new ExecResult(256, "", "", false, false));
  }
}
