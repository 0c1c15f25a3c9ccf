package kr.codeb.deploy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import kr.codeb.CodeBException;
import kr.codeb.RateLimitedException;
import kr.codeb.UnavailableException;
import org.junit.jupiter.api.Test;

/** Every value of a deploy's environment, in each form an engine may quote it, is removed. */
class EnvRedactionTest {
  @Test
  void valuesAreRemovedRawGoQuotedAndJsonEscaped() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("A", "SECRET\u0000");
    env.put("B", "pa\"ss\\word\n");
    EnvRedaction r = EnvRedaction.of(env);
    assertEquals("x [redacted] y", r.apply("x SECRET\u0000 y"));
    assertEquals("invalid env \"A=[redacted]\"", r.apply("invalid env \"A=SECRET\\x00\""));
    assertEquals("{\"B\":\"[redacted]\"}", r.apply("{\"B\":\"pa\\\"ss\\\\word\\n\"}"));
    assertEquals("B=[redacted] and [redacted]", r.apply("B=pa\"ss\\word\n and pa\\\"ss\\\\word\\n"));
  }

  @Test
  void shortValuesOnlyWhereTheyStandAlone() {
    EnvRedaction r = EnvRedaction.of(Map.of("N", "1", "E", ""));
    assertEquals("port 4101 is taken; N=[redacted]", r.apply("port 4101 is taken; N=1"));
    assertEquals("no values, no change", r.apply("no values, no change"));
  }

  @Test
  void anExceptionKeepsItsKindAndProviderAndLosesItsCause() {
    EnvRedaction r = EnvRedaction.of(Map.of("T", "tok-123456"));
    CodeBException e = r.apply(new RateLimitedException("engine said T=tok-123456", "docker", 429,
        new RuntimeException("tok-123456")));
    assertTrue(e instanceof RateLimitedException);
    assertEquals("engine said T=[redacted]", e.getMessage());
    assertEquals("docker", e.provider().orElseThrow());
    assertEquals(429, e.httpStatus().getAsInt());
    assertNull(e.getCause());
    UnavailableException clean = new UnavailableException("nothing secret here");
    assertSame(clean, r.apply(clean));
  }
}
