package kr.codeb.vultr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import kr.codeb.AuthException;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.ProviderConfig;
import kr.codeb.ProviderRegistry;
import kr.codeb.RateLimitedException;
import kr.codeb.Secret;
import kr.codeb.UnavailableException;
import kr.codeb.firewall.FirewallProvider;
import kr.codeb.firewall.FirewallRule;
import kr.codeb.firewall.FirewallRules;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Vultr adapter's own behaviour: groups, paging, retries, rate limit, errors, secrets. */
class VultrFirewallTest {
  private static final FirewallRule PG = FirewallRules.parse("tcp", "5432", "10.1.2.3/32", "pg");

  VultrFake fake;
  VultrFirewall firewall;
  String group;

  @BeforeEach
  void start() {
    fake = new VultrFake();
    firewall = VultrFirewall.create(fake.config());
    group = fake.createGroup("storage");
  }

  @AfterEach
  void stop() {
    firewall.close();
    fake.close();
  }

  private void checkRequests() {
    fake.assertNoViolations();
  }

  @Test
  void groupsAreFoundByDescriptionAcrossPagesAndById() {
    for (int i = 0; i < 23; i++) {
      fake.createGroup("other-" + i);
    }
    String late = fake.createGroup("late");
    firewall.allow("late", PG);
    assertEquals(1, firewall.rules(late).size());
    assertTrue(fake.log().stream().anyMatch(l -> l.contains("cursor=")), () -> "" + fake.log());
    NotFoundException e = assertThrows(NotFoundException.class, () -> firewall.rules("nope"));
    assertTrue(e.getMessage().contains("'storage' (" + group + ")"), e.getMessage());
    checkRequests();
  }

  @Test
  void allowAllReadsTheGroupOnceThenPostsEachMissingRule() {
    firewall.allow("storage", PG);
    int before = fake.log().size();
    List<FirewallRule> added = firewall.allowAll("storage", List.of(PG,
        FirewallRules.parse("tcp", "6379", "10.1.2.3/32", "redis"),
        FirewallRules.parse("tcp", "6380", "10.1.2.3/32", "redis 2")));
    assertEquals(2, added.size(), () -> "added: " + added);
    List<String> calls = fake.log().subList(before, fake.log().size());
    assertEquals(3, calls.size(), () -> "one list (the group was looked up by allow) and two"
        + " posts: " + calls);
    assertTrue(calls.get(0).startsWith("GET /v2/firewalls/" + group + "/rules"), calls::toString);
    assertTrue(calls.get(1).startsWith("POST") && calls.get(2).startsWith("POST"),
        calls::toString);
    checkRequests();
  }

  @Test
  void allowAllOverTheLimitPostsNothing() {
    for (int i = 0; i < 48; i++) {
      firewall.allow(group, FirewallRules.parse("tcp", Integer.toString(3000 + i), "10.0.0.0/8",
          ""));
    }
    List<FirewallRule> three = List.of(FirewallRules.parse("tcp", "4000", "10.0.0.0/8", ""),
        FirewallRules.parse("tcp", "4001", "10.0.0.0/8", ""),
        FirewallRules.parse("tcp", "4002", "10.0.0.0/8", ""));
    long posts = posts();
    ConflictException e = assertThrows(ConflictException.class,
        () -> firewall.allowAll(group, three));
    assertTrue(e.getMessage().contains("48 rules") && e.getMessage().contains("revoke 1"),
        e.getMessage());
    assertEquals(posts, posts(), "nothing posted");
    assertEquals(48, fake.ruleCount(group));
    checkRequests();
  }

  private long posts() {
    return fake.log().stream().filter(l -> l.startsWith("POST")).count();
  }

  @Test
  void aGroupIsLookedUpOnceAndAgainWhenItIsGone() {
    firewall.rules("storage");
    firewall.rules("storage");
    firewall.allow("storage", PG);
    assertEquals(1, fake.log().stream().filter(l -> l.startsWith("GET /v2/firewalls?")).count(),
        () -> "the description was looked up once: " + fake.log());
    // Another tool deletes the group and makes a new one with the same description.
    fake.deleteGroup(group);
    String again = fake.createGroup("storage");
    assertEquals(List.of(), firewall.rules("storage"), "the new group is found and read");
    firewall.allow("storage", PG);
    assertEquals(1, fake.ruleCount(again));
    fake.deleteGroup(again);
    NotFoundException e = assertThrows(NotFoundException.class, () -> firewall.rules("storage"));
    assertTrue(e.getMessage().contains("no Vultr firewall group"), e.getMessage());
    checkRequests();
  }

  @Test
  void anAmbiguousDescriptionListsTheIds() {
    String second = fake.createGroup("storage");
    InvalidRequestException e =
        assertThrows(InvalidRequestException.class, () -> firewall.rules("storage"));
    assertTrue(e.getMessage().contains(group) && e.getMessage().contains(second), e.getMessage());
    assertThrows(InvalidRequestException.class, () -> firewall.rules(" "));
    checkRequests();
  }

  @Test
  void rulesPageThroughTheCursorToTheEnd() {
    for (int i = 0; i < 27; i++) {
      firewall.allow(group, FirewallRules.parse("tcp", Integer.toString(3000 + i), "10.0.0.0/8", ""));
    }
    assertEquals(27, firewall.rules(group).size());
    long pages = fake.log().stream().filter(l -> l.startsWith("GET /v2/firewalls/" + group
        + "/rules")).count();
    assertTrue(pages > 27, "each allow lists the rules page by page");
    checkRequests();
  }

  @Test
  void rulesWithASourceAreNeitherShownNorTouchedButCount() {
    ObjectNode cloudflare = new ObjectMapper().createObjectNode().put("type", "v4")
        .put("ip_type", "v4").put("action", "accept").put("protocol", "tcp").put("port", "443")
        .put("subnet", "").put("subnet_size", 0).put("source", "cloudflare").put("notes", "");
    fake.addRaw(group, cloudflare);
    assertTrue(firewall.rules(group).isEmpty());
    FirewallRule https = FirewallRules.parse("tcp", "443", "0.0.0.0/0", "");
    assertFalse(firewall.revoke(group, https));
    assertEquals(1, fake.ruleCount(group));
    checkRequests();
  }

  @Test
  void retriesA429WithRetryAfterThenSucceeds() {
    fake.fail("GET", 1, 429, "1");
    long start = System.nanoTime();
    assertTrue(firewall.rules(group).isEmpty());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 900,
        "Retry-After: 1 is honoured");
    checkRequests();
  }

  @Test
  void retriesA429WithoutRetryAfterThenSucceeds() {
    fake.fail("GET", 2, 429, null);
    assertTrue(firewall.rules(group).isEmpty());
    assertEquals(4, fake.log().size(), () -> "" + fake.log()); // 2 failed + group + rules
  }

  @Test
  void a429ForeverIsRateLimitedAfterTheAttempts() {
    fake.fail("GET", -1, 429, null);
    long start = System.nanoTime();
    RateLimitedException e =
        assertThrows(RateLimitedException.class, () -> firewall.rules(group));
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10, "bounded time");
    assertEquals(4, fake.requests());
    assertTrue(e.getMessage().contains("429") && e.getMessage().contains("4 attempts"),
        e.getMessage());
    assertEquals(429, e.httpStatus().getAsInt());
  }

  @Test
  void a503ThenSuccessForAGet() {
    fake.fail("GET", 1, 503, null);
    fake.reset("GET", 1);
    assertTrue(firewall.rules(group).isEmpty());
    assertEquals(4, fake.requests()); // 503, reset, then the group and its rules
  }

  @Test
  void aPostIsNotResentBlindlyOn500ButAllowChecksAgainThenPosts() {
    fake.fail("POST", 1, 500, null);
    assertEquals(PG, firewall.allow(group, PG));
    assertEquals(2, fake.log().stream().filter(l -> l.startsWith("POST")).count());
    assertEquals(1, fake.ruleCount(group));
    String other = fake.createGroup("other");
    fake.fail("POST", -1, 500, null);
    UnavailableException e = assertThrows(UnavailableException.class,
        () -> firewall.allow(other, PG));
    assertTrue(e.getMessage().contains("500") && e.getMessage().contains("1 attempt"),
        e.getMessage());
    assertEquals(4, fake.log().stream().filter(l -> l.startsWith("POST")).count(),
        "one POST per check, never a blind resend: " + fake.log());
    assertEquals(0, fake.ruleCount(other));
  }

  @Test
  void aPostIsRetriedWhenTheConnectionIsRefused() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    VultrConfig config = VultrConfig.of(URI.create("http://127.0.0.1:" + closed + "/v2"),
        Secret.of(VultrFake.KEY)).withRetries(3, Duration.ofMillis(10), Duration.ofMillis(50));
    try (VultrFirewall down = VultrFirewall.create(config)) {
      UnavailableException e = assertThrows(UnavailableException.class,
          () -> down.rules("9f0c6a39-4b0c-4e55-9d6f-3e8f1f1b2a10"));
      assertTrue(e.getMessage().contains("3 attempts"), e.getMessage());
    }
  }

  @Test
  void statusesMapToTheExceptionFamily() {
    assertThrows(NotFoundException.class,
        () -> firewall.rules("9f0c6a39-4b0c-4e55-9d6f-3e8f1f1b2a10"));
    VultrConfig wrongKey = VultrConfig.of(fake.endpoint(), Secret.of("wrong-key-123456"));
    try (VultrFirewall bad = VultrFirewall.create(wrongKey)) {
      AuthException e = assertThrows(AuthException.class, () -> bad.rules(group));
      assertTrue(e.getMessage().contains("401") && e.getMessage().contains("Invalid API token"),
          e.getMessage());
      assertFalse(e.getMessage().contains("wrong-key-123456"), e.getMessage());
    }
  }

  @Test
  void theApiKeyIsInNoMessageNorLog() {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    StringBuilder messages = new StringBuilder();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      firewall.allow(group, PG);
      firewall.revoke(group, PG);
      fake.fail(null, -1, 503, null);
      for (Runnable r : List.<Runnable>of(() -> firewall.rules(group),
          () -> firewall.allow(group, PG), () -> firewall.rules("nope"))) {
        try {
          r.run();
        } catch (CodeBException e) {
          messages.append(e).append('\n');
        }
      }
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertTrue(log.contains("Vultr API GET"), "debug logging is on: " + log);
    assertFalse(log.contains(VultrFake.KEY), log);
    assertFalse(messages.toString().contains(VultrFake.KEY), messages.toString());
    assertFalse(firewall.config().toString().contains(VultrFake.KEY));
    assertFalse(firewall.info().toString().contains(VultrFake.KEY));
  }

  @Test
  void theRateLimiterKeepsUnder30PerSecond() {
    VultrConfig config = fake.config().withRate(30);
    try (VultrFirewall limited = VultrFirewall.create(config)) {
      long start = System.nanoTime();
      for (int i = 0; i < 60; i++) {
        limited.rules(group);
      }
      long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
      assertTrue(ms >= 1000, "60 calls (120 requests) at 30/s took only " + ms + " ms");
    }
  }

  @Test
  void theFactoryFindsTheKeyInOrderAndDoesNoIo() {
    Map<String, String> env = Map.of("VULTR_API_KEY", "vendor-key-1", "CODEB_VULTR_API_KEY",
        "codeb-key-2");
    VultrConfig fromEnv = VultrConfig.from(
        new ProviderConfig(URI.create("vultr:///"), Map.of(), env::get));
    assertEquals(Secret.of("codeb-key-2"), fromEnv.apiKey());
    assertEquals(VultrConfig.VULTR, fromEnv.endpoint());
    VultrConfig vendor = VultrConfig.from(new ProviderConfig(URI.create("vultr+http://127.0.0.1:9"),
        Map.of(), Map.of("VULTR_API_KEY", "vendor-key-1")::get));
    assertEquals(Secret.of("vendor-key-1"), vendor.apiKey());
    assertEquals(URI.create("http://127.0.0.1:9/v2"), vendor.endpoint());
    VultrConfig explicit = VultrConfig.from(new ProviderConfig(URI.create("vultr:///?rate=10"),
        Map.of("api-key", Secret.of("explicit-3")), env::get));
    assertEquals(Secret.of("explicit-3"), explicit.apiKey());
    assertEquals(10, explicit.requestsPerSecond());
    AuthException missing = assertThrows(AuthException.class, () -> VultrConfig.from(
        new ProviderConfig(URI.create("vultr:///"), Map.of(), n -> null)));
    assertTrue(missing.getMessage().contains("CODEB_VULTR_API_KEY")
        && missing.getMessage().contains("VULTR_API_KEY"), missing.getMessage());
    assertThrows(InvalidRequestException.class, () -> VultrConfig.from(
        new ProviderConfig(URI.create("vultr:///?key=x"), Map.of(), env::get)));
    assertThrows(InvalidRequestException.class, () -> VultrConfig.from(
        new ProviderConfig(URI.create("vultr://api.example.com"), Map.of(), env::get)));
    // Through the registry: "vultr://" becomes "vultr:///"; a closed port is never dialled.
    try (FirewallProvider p = ProviderRegistry.load(env::get).firewallProvider("vultr://")) {
      assertInstanceOf(VultrFirewall.class, p);
      assertEquals("vultr", p.info().id());
    }
    assertFalse(fromEnv.toString().contains("codeb-key-2"), fromEnv.toString());
  }

  @Test
  void theFakeRefusesWhatVultrsApiDoesNotAllow() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String rules = fake.endpoint() + "/firewalls/" + group + "/rules";
    // Upper-case protocol: Vultr's documentation writes it so, but the API takes lower case.
    assertEquals(400, post(http, rules, "{\"ip_type\":\"v4\",\"protocol\":\"TCP\","
        + "\"port\":\"5432\",\"subnet\":\"10.0.0.1\",\"subnet_size\":32}"));
    // Wrong types, an unknown field, a required field missing.
    assertEquals(400, post(http, rules, "{\"ip_type\":\"v4\",\"protocol\":\"tcp\","
        + "\"port\":5432,\"subnet_size\":\"32\",\"colour\":\"red\"}"));
    // Fits the description, but the subnet is not a v6 address: the fake's own check.
    assertEquals(400, post(http, rules, "{\"ip_type\":\"v6\",\"protocol\":\"tcp\","
        + "\"port\":\"5432\",\"subnet\":\"10.0.0.1\",\"subnet_size\":32}"));
    HttpRequest noAuth = HttpRequest.newBuilder(URI.create(fake.endpoint() + "/firewalls")).GET()
        .build();
    assertEquals(400, http.send(noAuth, HttpResponse.BodyHandlers.ofString()).statusCode());
    AssertionError e = assertThrows(AssertionError.class, fake::assertNoViolations);
    String m = e.getMessage();
    assertTrue(m.contains("does not match subnet") && m.contains("Bearer"), m);
    assertTrue(m.contains("'/protocol' must be one of"), m);
    assertTrue(m.contains("'/port' must be a string") && m.contains("'/subnet_size' must be an"
        + " integer") && m.contains("'/colour' is not one of") && m.contains("'/subnet' is"
        + " missing"), m);
  }

  private static int post(HttpClient http, String url, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + VultrFake.KEY)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
  }
}
