package kr.codeb.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import kr.codeb.AuthException;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.RateLimitedException;
import kr.codeb.Secret;
import kr.codeb.UnavailableException;
import kr.codeb.http.internal.Redaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared layer against a JDK HTTP server, directly and behind the misbehaving forwarder. */
class ApiClientTest {
  private static final String KEY = "Zk3vQ9-secret-Key-7781";

  private HttpServer server;
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final java.util.List<Long> arrivals = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    arrivals.add(System.nanoTime());
    hits.computeIfAbsent(x.getRequestMethod() + " " + path, k -> new AtomicInteger())
        .incrementAndGet();
    x.getRequestBody().readAllBytes();
    if (path.startsWith("/status/")) {
      int status = Integer.parseInt(path.substring("/status/".length()));
      if (x.getRequestURI().getQuery() != null && x.getRequestURI().getQuery().contains("once")
          && failuresLeft.getAndDecrement() <= 0) {
        status = 200;
      }
      if (status == 429) {
        x.getResponseHeaders().add("Retry-After", "1");
      }
      answer(x, status, "{\"error\":\"status " + status + "\"}");
    } else if (path.equals("/echo")) {
      answer(x, 400, "{\"error\":\"bad key " + KEY.toLowerCase(Locale.ROOT) + " or "
          + KEY.substring(3, 14) + " or " + KEY.toUpperCase(Locale.ROOT) + "\"}");
    } else if (x.getRequestMethod().equals("POST")) {
      answer(x, 201, "{\"created\":true,\"padding\":\"" + "x".repeat(200) + "\"}");
    } else {
      answer(x, 200, "{\"ok\":true,\"padding\":\"" + "y".repeat(200) + "\"}");
    }
  }

  private static void answer(HttpExchange x, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(status, body.length);
    x.getResponseBody().write(body);
    x.close();
  }

  private URI direct() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private static ApiClient client(URI base) {
    return ApiClient.open(ApiSettings.of("test", "Test API", base, Duration.ofSeconds(5))
        .withCredential("X-API-Key", "", Secret.of(KEY))
        .withRetries(3, Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofSeconds(10)));
  }

  private int hits(String what) {
    return hits.getOrDefault(what, new AtomicInteger()).get();
  }

  @Test
  void aServerThatClosesAfterEveryAnswerWithoutSayingSoCostsNoCall() throws Exception {
    try (MisbehavingForwarder f = new MisbehavingForwarder(direct(),
            MisbehavingForwarder.Mode.HTTP10_CLOSE);
        ApiClient api = client(f.uri())) {
      for (int i = 0; i < 3; i++) {
        assertEquals(200, api.send(ApiCall.get("/thing")).status());
        assertEquals(201, api.send(ApiCall.send("POST", "/things", "{}".getBytes(), false))
            .status());
      }
      assertEquals(3, hits("POST /things"), "each POST reached the server exactly once");
      assertEquals(3, hits("GET /thing"));
    }
  }

  @Test
  void aConnectionClosedWhileIdleIsReplacedEvenForAPost() throws Exception {
    try (MisbehavingForwarder f = new MisbehavingForwarder(direct(),
            MisbehavingForwarder.Mode.IDLE_CLOSE);
        ApiClient api = client(f.uri())) {
      assertEquals(200, api.send(ApiCall.get("/thing")).status());
      Thread.sleep(2 * MisbehavingForwarder.IDLE_MILLIS);
      assertEquals(201, api.send(ApiCall.send("POST", "/things", "{}".getBytes(), false))
          .status());
      assertEquals(1, hits("POST /things"));
      assertEquals(2, f.connections(), "the POST went on a new connection");
      Thread.sleep(2 * MisbehavingForwarder.IDLE_MILLIS);
      assertEquals(200, api.send(ApiCall.get("/thing")).status());
      assertEquals(2, hits("GET /thing"));
    }
  }

  @Test
  void aResetMidAnswerIsRetriedForAGetAndReportedForAPost() throws Exception {
    try (MisbehavingForwarder f = new MisbehavingForwarder(direct(),
            MisbehavingForwarder.Mode.IDLE_CLOSE);
        ApiClient api = client(f.uri())) {
      f.resetNext("GET", 1);
      assertEquals(200, api.send(ApiCall.get("/thing")).status());
      assertEquals(2, hits("GET /thing"), "the reset GET was sent again");
      f.resetNext("POST", 1);
      UnavailableException e = assertThrows(UnavailableException.class,
          () -> api.send(ApiCall.send("POST", "/things", "{}".getBytes(), false)));
      assertEquals(1, hits("POST /things"), "a POST whose answer was cut is not sent again");
      assertTrue(e.getMessage().contains("Test API at " + f.uri() + " did not answer POST /things")
          && e.getMessage().contains("1 attempt"), e.getMessage());
      assertEquals("test", e.provider().orElseThrow());
      assertFalse(e.getMessage().contains("Exception"), e.getMessage());
    }
  }

  @Test
  void statusesMapToTheFamilyWithProviderAndStatus() {
    try (ApiClient api = client(direct())) {
      NotFoundException nf = assertThrows(NotFoundException.class,
          () -> api.send(ApiCall.get("/status/404")));
      assertEquals(404, nf.httpStatus().getAsInt());
      assertEquals("test", nf.provider().orElseThrow());
      assertTrue(nf.getMessage().contains("HTTP 404 to GET /status/404: status 404"),
          nf.getMessage());
      assertThrows(ConflictException.class, () -> api.send(ApiCall.get("/status/409")));
      assertThrows(AuthException.class, () -> api.send(ApiCall.get("/status/401")));
      assertThrows(AuthException.class, () -> api.send(ApiCall.get("/status/403")));
      assertThrows(InvalidRequestException.class, () -> api.send(ApiCall.get("/status/422")));
      assertEquals(404, api.send(ApiCall.get("/status/404").accepting(404)).status());
      assertEquals(2, hits("GET /status/404"), "one request per call: a 404 is not retried");
    }
  }

  @Test
  void theRateLimitLetsShortBurstsThroughAndKeepsEverySecondUnderTheRatePlusOneBurst() {
    try (ApiClient api = ApiClient.open(ApiSettings.of("test", "Test API", direct(),
        Duration.ofSeconds(5)).withRateLimit(25))) {
      for (int i = 0; i < 45; i++) {
        api.send(ApiCall.get("/paced"));
      }
    }
    List<Long> at = List.copyOf(arrivals);
    assertEquals(45, at.size());
    long first = at.get(0);
    // a burst of 5 (a fifth of 25/s) leaves at once: no 40 ms pause between them
    assertTrue(at.get(4) - first < 150_000_000L, "the first 5 took "
        + (at.get(4) - first) / 1_000_000 + " ms");
    // yet 45 requests at 25/s take at least (45 - 5) / 25 s, and no second holds more than 30
    assertTrue(at.get(44) - first >= 1_500_000_000L, "45 requests took only "
        + (at.get(44) - first) / 1_000_000 + " ms");
    for (int i = 0; i < at.size(); i++) {
      int inSecond = 0;
      for (int j = i; j < at.size() && at.get(j) - at.get(i) < 1_000_000_000L; j++) {
        inSecond++;
      }
      assertTrue(inSecond <= 30, inSecond + " requests within one second from request " + i);
    }
  }

  @Test
  void onlyIdempotentCallsAreRetriedOn5xxWithinTheAttempts() {
    try (ApiClient api = client(direct())) {
      UnavailableException get = assertThrows(UnavailableException.class,
          () -> api.send(ApiCall.get("/status/503")));
      assertEquals(3, hits("GET /status/503"));
      assertTrue(get.getMessage().contains("3 attempts"), get.getMessage());
      assertTrue(get.isRetryable());
      UnavailableException post = assertThrows(UnavailableException.class,
          () -> api.send(ApiCall.send("POST", "/status/503", null, false)));
      assertEquals(1, hits("POST /status/503"));
      assertTrue(post.getMessage().contains("1 attempt"), post.getMessage());
      failuresLeft.set(1);
      assertEquals(200, api.send(ApiCall.get("/status/500?once")).status());
    }
  }

  @Test
  void retryAfterIsHonouredAndALongerOneIsNotWaitedFor() {
    try (ApiClient api = client(direct())) {
      failuresLeft.set(1);
      long start = System.nanoTime();
      assertEquals(200, api.send(ApiCall.get("/status/429?once")).status());
      assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 900,
          "Retry-After: 1 was waited for");
    }
    ApiSettings impatient = ApiSettings.of("test", "Test API", direct(), Duration.ofSeconds(5))
        .withRetries(3, Duration.ofMillis(20), Duration.ofMillis(500), Duration.ofSeconds(10));
    try (ApiClient api = ApiClient.open(impatient)) {
      RateLimitedException e = assertThrows(RateLimitedException.class,
          () -> api.send(ApiCall.get("/status/429")));
      assertTrue(e.getMessage().contains("asked to wait 1 s")
          && e.getMessage().contains("1 attempt"), e.getMessage());
      assertEquals(429, e.httpStatus().getAsInt());
    }
  }

  @Test
  void theRetryBudgetBoundsTheTotalTime() {
    ApiSettings tight = ApiSettings.of("test", "Test API", direct(), Duration.ofSeconds(5))
        .withRetries(20, Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofMillis(700));
    try (ApiClient api = ApiClient.open(tight)) {
      long start = System.nanoTime();
      assertThrows(UnavailableException.class, () -> api.send(ApiCall.get("/status/502")));
      assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 1500);
      assertTrue(hits("GET /status/502") < 5, "stopped by the budget, not the attempts");
    }
  }

  @Test
  void aRefusedConnectionIsRetriedEvenForAPost() throws IOException {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    try (ApiClient api = client(URI.create("http://127.0.0.1:" + closed))) {
      UnavailableException e = assertThrows(UnavailableException.class,
          () -> api.send(ApiCall.send("POST", "/x", null, false)));
      assertTrue(e.getMessage().contains("connection refused")
          && e.getMessage().contains("3 attempts"), e.getMessage());
    }
  }

  @Test
  void echoesOfTheKeyInAnyCaseOrPartAreRedacted() {
    try (ApiClient api = client(direct())) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class,
          () -> api.send(ApiCall.get("/echo")));
      String m = e.getMessage();
      assertFalse(m.toLowerCase(Locale.ROOT).contains(KEY.toLowerCase(Locale.ROOT)), m);
      assertFalse(m.contains(KEY.substring(3, 14)), m);
      assertTrue(m.contains("bad key [redacted] or [redacted] or [redacted]"), m);
    }
    assertEquals("a [redacted] b", Redaction.scrub("a " + KEY.substring(5, 13) + " b", KEY));
    assertEquals("short " + KEY.substring(0, 7), Redaction.scrub("short " + KEY.substring(0, 7), KEY));
    assertEquals("[redacted]", Redaction.scrub("abc", "abc"));
    assertFalse(client(direct()).settings().toString().contains(KEY));
  }

  @Test
  void badSettingsAndCallsAreRefusedWithWhatIsAllowed() {
    InvalidRequestException scheme = assertThrows(InvalidRequestException.class,
        () -> ApiSettings.of("test", "Test API", URI.create("ftp://x"), Duration.ofSeconds(1)));
    assertTrue(scheme.getMessage().contains("http(s)://HOST"), scheme.getMessage());
    assertThrows(InvalidRequestException.class,
        () -> ApiSettings.of("Test", "Test API", direct(), Duration.ofSeconds(1)));
    assertThrows(InvalidRequestException.class, () -> ApiSettings.of("test", "Test API",
        direct(), Duration.ZERO));
    assertThrows(InvalidRequestException.class, () -> ApiCall.get("no-slash"));
    InvalidRequestException method = assertThrows(InvalidRequestException.class,
        () -> ApiCall.send("TRACE", "/x", null, true));
    assertTrue(method.getMessage().contains("GET"), method.getMessage());
  }
}
