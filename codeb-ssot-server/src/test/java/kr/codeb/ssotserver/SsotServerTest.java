package kr.codeb.ssotserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kr.codeb.ssot.FileSsotStore;
import kr.codeb.testkit.SeedData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server on loopback over the seed's SSOT file, through the JDK's HTTP client. */
class SsotServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;
  Path ssot;
  FileSsotStore store;
  ServerTokens tokens;
  SsotServer server;
  String readToken;
  String allocateToken;
  final List<String> writeLog = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() {
    ssot = SeedData.copySsotTo(dir);
    store = FileSsotStore.open(ssot);
    tokens = ServerTokens.at(dir.resolve("tokens.json"));
    readToken = tokens.create("reader", Set.of(TokenScope.READ)).reveal();
    allocateToken = tokens.create("ci-app1", Set.of(TokenScope.ALLOCATE)).reveal();
    server = SsotServer.start(SsotServerConfig.defaults().withListen("127.0.0.1", 0).withRate(1000),
        store, tokens, writeLog::add);
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String token, String ifMatch, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (ifMatch != null) {
      b.header("If-Match", ifMatch);
    }
    return http.send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  @Test
  void healthNeedsNoTokenAndReadsNeedTheReadScope() throws Exception {
    assertEquals(200, get("/healthz", null).statusCode());
    HttpResponse<String> none = get("/api/port/get?project=vsvs-kr&environment=production", null);
    assertEquals(401, none.statusCode());
    assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    assertEquals(401, get("/api/ssot", "codeb_wrong").statusCode());
    HttpResponse<String> pair = get("/api/port/get?project=vsvs-kr&environment=production",
        readToken);
    assertEquals(200, pair.statusCode(), pair.body());
    assertEquals(4102, json(pair).get("blue").asInt());
    assertEquals(4103, json(pair).get("green").asInt());
    assertEquals(404, get("/api/port/get?project=nobody&environment=production", readToken)
        .statusCode());
    assertEquals(400, get("/api/port/get?project=Bad_Name&environment=production", readToken)
        .statusCode());
    HttpResponse<String> check = get("/api/check", allocateToken);
    assertEquals(200, check.statusCode(), "allocate implies read");
    assertTrue(json(check).get("findings").size() > 0, check.body());
  }

  @Test
  void aReadTokenCannotWrite() throws Exception {
    byte[] before = Files.readAllBytes(ssot);
    HttpResponse<String> r = post("/api/port/allocate", readToken, "*",
        "{\"project\":\"acme\",\"environment\":\"production\"}");
    assertEquals(403, r.statusCode(), r.body());
    assertTrue(r.body().contains("lacks the allocate scope"), r.body());
    assertArrayEquals(before, Files.readAllBytes(ssot));
  }

  @Test
  void writesAreCompareAndSetOnTheEtag() throws Exception {
    HttpResponse<String> registry = get("/api/ssot", readToken);
    String etag = registry.headers().firstValue("ETag").orElseThrow();
    assertEquals("\"" + json(registry).get("revision").asText() + "\"", etag);
    String body = "{\"project\":\"acme\",\"environment\":\"production\"}";
    byte[] before = Files.readAllBytes(ssot);
    HttpResponse<String> missing = post("/api/port/allocate", allocateToken, null, body);
    assertEquals(428, missing.statusCode(), missing.body());
    HttpResponse<String> stale = post("/api/port/allocate", allocateToken, "\"0000\"", body);
    assertEquals(412, stale.statusCode(), stale.body());
    assertEquals(etag, stale.headers().firstValue("ETag").orElseThrow());
    assertArrayEquals(before, Files.readAllBytes(ssot), "nothing written");
    HttpResponse<String> ok = post("/api/port/allocate", allocateToken, etag, body);
    assertEquals(200, ok.statusCode(), ok.body());
    assertTrue(json(ok).get("created").asBoolean());
    String newEtag = ok.headers().firstValue("ETag").orElseThrow();
    assertNotEquals(etag, newEtag);
    assertEquals(412, post("/api/port/allocate", allocateToken, etag, body).statusCode(),
        "the old revision no longer matches");
    assertTrue(Files.readString(ssot).contains("\"acme\""));
    HttpResponse<String> released = post("/api/port/release", allocateToken, newEtag, body);
    assertEquals(200, released.statusCode(), released.body());
    assertTrue(json(released).get("released").asBoolean());
    // The write log: one JSON line per write, the token's name and never its value.
    assertEquals(4, writeLog.size(), writeLog.toString());  // 412, 200, 412, 200
    for (String line : writeLog) {
      JsonNode l = JSON.readTree(line);
      assertEquals("ci-app1", l.get("token").asText());
      assertFalse(line.contains(allocateToken), line);
    }
    assertEquals(412, JSON.readTree(writeLog.get(0)).get("status").asInt());
  }

  @Test
  void theDocumentIsTheRegistryWithItsUnknownFieldsAndTheSameEtag() throws Exception {
    HttpResponse<String> doc = get("/api/ssot/document", readToken);
    assertEquals(200, doc.statusCode(), doc.body());
    assertTrue(doc.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    String etag = get("/api/ssot", readToken).headers().firstValue("ETag").orElseThrow();
    assertEquals(etag, doc.headers().firstValue("ETag").orElseThrow());
    kr.codeb.ports.Registry read = kr.codeb.ssot.SsotDocument.parse(
        doc.body().getBytes(java.nio.charset.StandardCharsets.UTF_8), "answer").registry();
    assertTrue(read.sameContent(store.read()), "the document holds what the store holds");
    assertEquals(401, get("/api/ssot/document", null).statusCode());
  }

  @Test
  void anAllocationSkipsThePortsInUseItIsGiven() throws Exception {
    HttpResponse<String> plain = post("/api/port/allocate", allocateToken, "*",
        "{\"project\":\"probe\",\"environment\":\"production\"}");
    int free = json(plain).get("blue").asInt();
    post("/api/port/release", allocateToken, "*",
        "{\"project\":\"probe\",\"environment\":\"production\"}");
    HttpResponse<String> r = post("/api/port/allocate", allocateToken, "*",
        "{\"project\":\"acme\",\"environment\":\"production\",\"portsInUse\":["
            + free + "," + (free + 1) + "]}");
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(json(r).get("blue").asInt() > free + 1, r.body());
    for (String bad : List.of("\"4100\"", "[\"x\"]", "[0]", "[70000]")) {
      HttpResponse<String> refused = post("/api/port/allocate", allocateToken, "*",
          "{\"project\":\"other\",\"environment\":\"production\",\"portsInUse\":" + bad
              + "}");
      assertEquals(400, refused.statusCode(), bad + " -> " + refused.body());
    }
    HttpResponse<String> releaseWithPorts = post("/api/port/release", allocateToken, "*",
        "{\"project\":\"acme\",\"environment\":\"production\",\"portsInUse\":[]}");
    assertEquals(400, releaseWithPorts.statusCode());
    assertTrue(releaseWithPorts.body().contains("unknown field 'portsInUse'"));
  }

  @Test
  void aRepairNeedsTheRepairScopeAndTheCurrentEtag() throws Exception {
    String repairToken = tokens.create("admin", Set.of(TokenScope.REPAIR)).reveal();
    String etag = get("/api/ssot", repairToken).headers().firstValue("ETag").orElseThrow();
    String body = "{\"dropUnclaimed\":false}";
    byte[] before = Files.readAllBytes(ssot);
    HttpResponse<String> scope = post("/api/ssot/repair", allocateToken, etag, body);
    assertEquals(403, scope.statusCode(), scope.body());
    assertTrue(scope.body().contains("lacks the repair scope"), scope.body());
    assertEquals(428, post("/api/ssot/repair", repairToken, null, body).statusCode());
    assertEquals(412, post("/api/ssot/repair", repairToken, "\"0000\"", body).statusCode());
    assertEquals(400, post("/api/ssot/repair", repairToken, etag, "{\"drop\":true}")
        .statusCode());
    assertArrayEquals(before, Files.readAllBytes(ssot), "nothing written");
    HttpResponse<String> repaired = post("/api/ssot/repair", repairToken, etag, body);
    assertEquals(200, repaired.statusCode(), repaired.body());
    JsonNode report = json(repaired);
    // The seed's SSOT has records that contradict its project entries.
    assertTrue(report.get("written").asBoolean(), repaired.body());
    assertTrue(report.get("changes").size() > 0, repaired.body());
    assertTrue(report.get("remaining").isArray(), repaired.body());
    JsonNode logged = JSON.readTree(writeLog.get(writeLog.size() - 1));
    assertEquals("repair", logged.get("action").asText());
    assertEquals("admin", logged.get("token").asText());
  }

  @Test
  void badBodiesAreClear400sAndWriteNothing() throws Exception {
    byte[] before = Files.readAllBytes(ssot);
    List<String> bodies = List.of("{", "[]", "{\"project\":\"acme\"}",
        "{\"project\":\"acme\",\"environment\":\"production\",\"port\":4100}",
        "{\"project\":\"Not A Label\",\"environment\":\"production\"}",
        "{\"project\":\"acme\",\"environment\":\"nosuch\"}",
        "{\"project\":\"acme\",\"environment\":\"production\"} trailing",
        "{\"project\":7,\"environment\":\"production\"}");
    List<String> expected = List.of("not valid JSON", "must be a JSON object",
        "field 'environment' must be a string", "unknown field 'port'", "invalid project name",
        "environment 'nosuch' is not defined", "not valid JSON", "field 'project' must be a string");
    for (int i = 0; i < bodies.size(); i++) {
      HttpResponse<String> r = post("/api/port/allocate", allocateToken, "*", bodies.get(i));
      assertEquals(400, r.statusCode(), bodies.get(i) + " -> " + r.body());
      assertTrue(json(r).get("error").get("message").asText().contains(expected.get(i)),
          r.body());
    }
    HttpResponse<String> huge = post("/api/port/allocate", allocateToken, "*",
        "{\"project\":\"" + "a".repeat(100_000) + "\",\"environment\":\"production\"}");
    assertEquals(413, huge.statusCode());
    assertArrayEquals(before, Files.readAllBytes(ssot));
    assertEquals(405, get("/api/port/allocate", allocateToken).statusCode());
  }

  @Test
  void aThousandWrongTokensAre401sAndTheServerStaysUp() throws Exception {
    byte[] before = Files.readAllBytes(ssot);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> codes = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        String wrong = allocateToken.substring(0, allocateToken.length() - 4) + String.format("%04d", i);
        codes.add(pool.submit(() -> post("/api/port/allocate", wrong, "*",
            "{\"project\":\"acme\",\"environment\":\"production\"}").statusCode()));
      }
      Set<Integer> seen = new HashSet<>();
      for (Future<Integer> c : codes) {
        seen.add(c.get());
      }
      assertEquals(Set.of(401), seen);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(200, get("/healthz", null).statusCode());
    assertEquals(200, get("/api/ssot", readToken).statusCode());
    assertArrayEquals(before, Files.readAllBytes(ssot));
    assertEquals(List.of(), writeLog);
  }

  @Test
  void eightClientsAllocatingAtOnceGetDistinctPorts() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<JsonNode>> answers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String body = "{\"project\":\"p" + i + "\",\"environment\":\"staging\"}";
        answers.add(pool.submit(() -> json(post("/api/port/allocate", allocateToken, "*", body))));
      }
      Set<Integer> ports = new HashSet<>();
      for (Future<JsonNode> a : answers) {
        JsonNode n = a.get();
        assertTrue(ports.add(n.get("blue").asInt()), n.toString());
        assertTrue(ports.add(n.get("green").asInt()), n.toString());
      }
      assertEquals(16, ports.size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void tooManyRequestsOfOneTokenAre429WithRetryAfter() throws Exception {
    server.close();
    server = SsotServer.start(SsotServerConfig.defaults().withListen("127.0.0.1", 0).withRate(5),
        store, tokens, writeLog::add);
    List<HttpResponse<String>> answers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      answers.add(get("/api/ssot", readToken));
    }
    HttpResponse<String> limited = answers.stream().filter(r -> r.statusCode() == 429)
        .findFirst().orElseThrow(() -> new AssertionError("no 429 in 20 requests at 5/s"));
    assertEquals("1", limited.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(answers.stream().filter(r -> r.statusCode() == 200).count() >= 5);
    assertEquals(200, get("/api/ssot", allocateToken).statusCode(), "another token's own budget");
  }

  @Test
  void theTokenFileHoldsHashesOnlyAndRevokingTakesEffectAtOnce() throws Exception {
    Path file = dir.resolve("tokens.json");
    String text = Files.readString(file);
    assertFalse(text.contains(readToken) || text.contains(allocateToken), text);
    assertTrue(text.contains("\"reader\"") && text.contains("sha256"), text);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(200, get("/api/ssot", readToken).statusCode());
    ServerTokens.at(file).revoke("reader");      // another process: `we ssot token revoke`
    assertEquals(401, get("/api/ssot", readToken).statusCode());
    assertEquals(List.of("ci-app1"), tokens.list().stream().map(TokenInfo::name).toList());
  }
}
