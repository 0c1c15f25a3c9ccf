package kr.codeb.vultr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import kr.codeb.InvalidRequestException;
import kr.codeb.Secret;
import kr.codeb.firewall.FirewallRule;
import kr.codeb.firewall.FirewallRules;
import kr.codeb.http.MisbehavingForwarder.Mode;
import kr.codeb.http.MisbehavingForwarder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Vultr adapter against the fake behind a forwarder that closes connections as servers in
 * the field do: {@code allow} never fails because of them and never adds a rule twice.
 */
class VultrConnectionsTest {
  private static final FirewallRule PG = FirewallRules.parse("tcp", "5432", "10.1.2.3/32", "pg");
  private static final FirewallRule WEB = FirewallRules.parse("tcp", "443", "0.0.0.0/0", "web");

  private VultrFake fake;
  private String group;

  @BeforeEach
  void start() {
    fake = new VultrFake();
    group = fake.createGroup("storage");
  }

  @AfterEach
  void stop() {
    fake.assertNoViolations();
    fake.close();
  }

  private VultrFirewall through(MisbehavingForwarder f) {
    return VultrFirewall.create(VultrConfig.of(f.uri().resolve("/v2"), Secret.of(VultrFake.KEY))
        .withRetries(4, java.time.Duration.ofMillis(20), java.time.Duration.ofSeconds(2)));
  }

  private long posts() {
    return fake.log().stream().filter(l -> l.startsWith("POST")).count();
  }

  @Test
  void aServerSpeakingHttp10AndClosingAfterEveryAnswer() throws Exception {
    try (MisbehavingForwarder f = new MisbehavingForwarder(fake.endpoint(), Mode.HTTP10_CLOSE);
        VultrFirewall firewall = through(f)) {
      assertEquals(PG, firewall.allow(group, PG));
      assertEquals(PG, firewall.allow(group, PG));
      assertEquals(WEB, firewall.allow(group, WEB));
      assertEquals(2, firewall.rules(group).size());
      assertTrue(firewall.revoke(group, WEB));
      assertEquals(2, posts(), "each new rule posted once: " + fake.log());
      assertEquals(1, fake.ruleCount(group));
    }
  }

  @Test
  void aServerClosingIdleConnectionsAfterASecond() throws Exception {
    try (MisbehavingForwarder f = new MisbehavingForwarder(fake.endpoint(), Mode.IDLE_CLOSE);
        VultrFirewall firewall = through(f)) {
      assertTrue(firewall.rules(group).isEmpty());
      Thread.sleep(2 * MisbehavingForwarder.IDLE_MILLIS);
      assertEquals(PG, firewall.allow(group, PG));
      Thread.sleep(2 * MisbehavingForwarder.IDLE_MILLIS);
      assertTrue(firewall.revoke(group, PG));
      Thread.sleep(2 * MisbehavingForwarder.IDLE_MILLIS);
      assertEquals(PG, firewall.allow(group, PG));
      assertEquals(2, posts());
      assertEquals(1, fake.ruleCount(group));
      assertTrue(f.connections() >= 4, "idle connections were closed: " + f.connections());
    }
  }

  @Test
  void aResetInTheMiddleOfAnAnswer() throws Exception {
    try (MisbehavingForwarder f = new MisbehavingForwarder(fake.endpoint(), Mode.IDLE_CLOSE);
        VultrFirewall firewall = through(f)) {
      f.resetNext("GET", 1);
      assertTrue(firewall.rules(group).isEmpty());
      // The rule is added but the answer is cut: allow reads the rules again and finds it.
      f.resetNext("POST", 1);
      assertEquals(PG, firewall.allow(group, PG));
      assertEquals(1, posts());
      assertEquals(1, fake.ruleCount(group));
      f.resetNext("DELETE", 1);
      assertTrue(firewall.revoke(group, PG));
      assertEquals(0, fake.ruleCount(group));
    }
  }

  @Test
  void echoesOfTheKeyLowerCasedOrTruncatedAreRedacted() {
    String lower = VultrFake.KEY.toLowerCase(Locale.ROOT).replace("test", "TEST");
    String part = VultrFake.KEY.substring(2, 12);
    fake.failWith("GET", 400, "Invalid token " + lower + " (starts " + part + ")");
    try (VultrFirewall firewall = VultrFirewall.create(fake.config())) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class,
          () -> firewall.rules(group));
      String m = e.getMessage();
      assertFalse(m.toLowerCase(Locale.ROOT).contains(VultrFake.KEY.toLowerCase(Locale.ROOT)), m);
      assertFalse(m.contains(part), m);
      assertTrue(m.contains("Invalid token [redacted] (starts [redacted])"), m);
    }
  }
}
