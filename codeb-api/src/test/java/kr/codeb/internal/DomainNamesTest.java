package kr.codeb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.dns.RecordContent;
import kr.codeb.dns.RecordType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DomainNamesTest {
  @ParameterizedTest
  @ValueSource(strings = {"a..b.kr", ".vsvs.kr", "under_score.vsvs.kr", "-lead.vsvs.kr",
      "trail-.vsvs.kr", "vsvs.kr; rm -rf /", "vsvs", "1.2.3.4", "a b.kr", "vsvs.kr/x", ""})
  void badHostNamesAreRefused(String name) {
    assertThrows(InvalidRequestException.class, () -> HostNames.parse("domain", name));
  }

  @Test
  void lengthLimits() {
    String label63 = "a".repeat(63);
    assertEquals(label63 + ".kr", HostNames.parse("domain", label63 + ".kr").ascii());
    assertThrows(InvalidRequestException.class, () -> HostNames.parse("domain", "a" + label63 + ".kr"));
    String long254 = (label63 + ".").repeat(3) + "a".repeat(61) + ".kr"; // 3*64 + 61 + 3 = 256
    assertThrows(InvalidRequestException.class, () -> HostNames.parse("domain", long254));
  }

  @Test
  void unicodeBecomesPunycodeAndIsReported() {
    HostNames.Parsed p = HostNames.parse("domain", "한국.kr");
    assertEquals("xn--3e0b707e.kr", p.ascii());
    assertEquals(Optional.of("한국.kr"), p.unicode());
    assertEquals("vsvs.kr", HostNames.parse("domain", "VSVS.kr.").ascii());
  }

  @ParameterizedTest
  @CsvSource({"shop.vsvs.co.kr,vsvs.co.kr", "api.vsvs.kr,vsvs.kr", "vsvs.kr,vsvs.kr",
      "a.b.example.co.uk,example.co.uk", "x.y.test,y.test", "deep.a.b.c.com,c.com"})
  void registrableDomains(String host, String registrable) {
    assertEquals(Optional.of(registrable), PublicSuffixes.bundled().registrable(host));
    assertEquals(Optional.of(registrable), PublicSuffixes.defaults().registrable(host));
  }

  @ParameterizedTest
  @ValueSource(strings = {"co.kr", "kr", "com", "co.uk"})
  void publicSuffixesHaveNoRegistrableDomain(String suffix) {
    assertTrue(PublicSuffixes.bundled().registrable(suffix).isEmpty());
    assertTrue(PublicSuffixes.defaults().registrable(suffix).isEmpty());
  }

  @Test
  void recordContentIsNormalised() {
    assertEquals("\"a \\\"b\\\"\"", RecordContent.normalise(RecordType.TXT, "a \"b\""));
    assertEquals("10 mail.vsvs.kr.", RecordContent.normalise(RecordType.MX, "10  mail.vsvs.kr"));
    assertEquals("2001:db8::1", RecordContent.normalise(RecordType.AAAA, "2001:0db8:0:0:0:0:0:1"));
    assertThrows(InvalidRequestException.class, () -> RecordContent.normalise(RecordType.A, "vsvs.kr"));
    assertThrows(InvalidRequestException.class, () -> RecordContent.normalise(RecordType.CNAME, "a_b..c"));
  }
}
