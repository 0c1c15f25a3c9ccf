package kr.codeb.ssothttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import kr.codeb.AuthException;
import kr.codeb.CodeBException;
import kr.codeb.InvalidRequestException;
import kr.codeb.Secret;
import kr.codeb.UnavailableException;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.RegistryEdit;
import kr.codeb.ports.SsotStore;
import kr.codeb.tck.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What goes wrong, against the real server (and, for a foreign answer, the JDK's). */
class HttpSsotStoreTest {
  private static final RegistryEdit.Allocate ACME =
      RegistryEdit.Allocate.of(ProjectName.of("acme"), Fixtures.PRODUCTION);

  @TempDir Path dir;

  @Test
  void aWrongTokenIsAnAuthErrorThatNeverEchoesIt() throws Exception {
    try (TestServer server = TestServer.http(dir, Fixtures.consistent())) {
      Secret wrong = Secret.of("codeb_wrongWRONGwrong0123456789abcdef");
      byte[] before = Files.readAllBytes(server.ssot);
      try (SsotStore store = server.client(wrong)) {
        AuthException read = assertThrows(AuthException.class, store::read);
        assertEquals(401, read.httpStatus().orElse(0));
        assertTrue(read.getMessage().contains("unknown token"), read.getMessage());
        assertTrue(read.getMessage().contains("CODEB_SSOT_TOKEN"), read.getMessage());
        AuthException write = assertThrows(AuthException.class, () -> store.apply(ACME));
        for (CodeBException e : new CodeBException[] {read, write}) {
          assertFalse(e.getMessage().contains("wrongWRONG"), e.getMessage());
          assertFalse(e.getMessage().contains("0123456789"), e.getMessage());
        }
        assertFalse(store.toString().contains("wrong"), store.toString());
        assertFalse(store.info().location().contains("wrong"), store.info().location());
      }
      assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(server.ssot)),
          "nothing written");
    }
  }

  @Test
  void noTokenFailsBeforeAnyRequestAndSaysWhereToPutIt() {
    try (TestServer server = TestServer.http(dir, Fixtures.consistent());
        SsotStore store = server.client(null)) {
      AuthException e = assertThrows(AuthException.class, store::read);
      assertTrue(e.getMessage().contains("set CODEB_SSOT_TOKEN"), e.getMessage());
      assertTrue(e.getMessage().contains(server.uri.toString()), e.getMessage());
    }
  }

  @Test
  void aReadTokenCannotAllocateAndAnAllocateTokenCannotRepair() throws Exception {
    try (TestServer server = TestServer.http(dir, Fixtures.consistent())) {
      byte[] before = Files.readAllBytes(server.ssot);
      try (SsotStore reader = server.client(server.reader)) {
        assertTrue(reader.read().sameContent(Fixtures.consistent()));
        AuthException e = assertThrows(AuthException.class, () -> reader.apply(ACME));
        assertEquals(403, e.httpStatus().orElse(0));
        assertTrue(e.getMessage().contains("token reader lacks the allocate scope"),
            e.getMessage());
      }
      Secret allocator = server.tokens.create("runner", java.util.Set.of(
          kr.codeb.ssotserver.TokenScope.ALLOCATE));
      try (SsotStore runner = server.client(allocator)) {
        // An orphan record, so that the repair has something to drop.
        runner.apply(ACME);
        runner.apply(new RegistryEdit.Release(ProjectName.of("acme"), Fixtures.PRODUCTION));
        before = Files.readAllBytes(server.ssot);
        SsotStore withGhost = server.client(server.writer);
        assertFalse(withGhost.apply(new RegistryEdit.Repair(true)).written());
        withGhost.close();
      }
      assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(server.ssot)));
    }
  }

  @Test
  void aServerThatIsDownIsUnavailableNamingTheUrlButNotTheToken() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    String uri = "http://127.0.0.1:" + port + "/ssot";
    try (SsotStore store = TestServer.client(uri,
        Map.of("CODEB_SSOT_TOKEN", "codeb_secretSECRETsecret"))) {
      long start = System.nanoTime();
      UnavailableException e = assertThrows(UnavailableException.class, store::read);
      assertTrue(e.getMessage().contains("SSOT server at " + uri), e.getMessage());
      assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
      assertTrue(e.getMessage().contains("4 attempts"), e.getMessage());
      assertFalse(e.getMessage().contains("secret"), e.getMessage());
      assertTrue(System.nanoTime() - start < 10_000_000_000L, "within the retry budget");
      assertThrows(UnavailableException.class, () -> store.apply(ACME));
    }
  }

  @Test
  void anAnswerThatIsNotTheServersJsonIsRefusedClearly() throws Exception {
    HttpServer foreign = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] html = "<html><body>Welcome to nginx!</body></html>".getBytes(StandardCharsets.UTF_8);
    foreign.createContext("/", exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "text/html");
      exchange.getResponseHeaders().add("ETag", "\"abc\"");
      exchange.sendResponseHeaders(200, html.length);
      exchange.getResponseBody().write(html);
      exchange.close();
    });
    foreign.start();
    try (SsotStore store = TestServer.client("http://127.0.0.1:"
        + foreign.getAddress().getPort() + "/", Map.of("CODEB_SSOT_TOKEN", "codeb_x"))) {
      InvalidRequestException read = assertThrows(InvalidRequestException.class, store::read);
      assertTrue(read.getMessage().contains("an answer of type text/html, not the SSOT server's"
          + " JSON: is this the address of `we ssot serve`"), read.getMessage());
      InvalidRequestException write =
          assertThrows(InvalidRequestException.class, () -> store.apply(ACME));
      assertTrue(write.getMessage().contains("POST /api/port/allocate"), write.getMessage());
    } finally {
      foreign.stop(0);
    }
  }

  @Test
  void httpsIsVerifiedByDefault() {
    try (TestServer server = TestServer.https(dir, Fixtures.consistent())) {
      Map<String, String> noCa = Map.of("CODEB_SSOT_TOKEN", server.writer.reveal());
      try (SsotStore store = TestServer.client(server.uri.toString(), noCa)) {
        long start = System.nanoTime();
        AuthException e = assertThrows(AuthException.class, store::read);
        assertTrue(e.getMessage().contains("is not trusted (GET /api/ssot/document): its TLS"
            + " certificate"), e.getMessage());
        assertTrue(e.getMessage().contains("CODEB_SSOT_CA"), e.getMessage());
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "a bad certificate is not retried");
      }
      // The CA in the URI instead of the environment.
      String withCa = server.uri + "?ca=" + server.tls.orElseThrow().certificate();
      try (SsotStore store = TestServer.client(withCa, noCa)) {
        assertTrue(store.read().sameContent(Fixtures.consistent()));
        assertEquals(server.uri.toString(), store.info().location());
      }
    }
  }

  @Test
  void theUriCarriesNoSecretAndNamesWhatIsAllowed() {
    Map<String, String> env = Map.of("CODEB_SSOT_TOKEN", "codeb_t");
    InvalidRequestException param = assertThrows(InvalidRequestException.class,
        () -> TestServer.client("https://ssot.example/?token=codeb_leakLEAK", env));
    assertTrue(param.getMessage().contains("unknown parameter 'token'"), param.getMessage());
    assertTrue(param.getMessage().contains("CODEB_SSOT_TOKEN"), param.getMessage());
    assertFalse(param.getMessage().contains("leak"), param.getMessage());
    InvalidRequestException user = assertThrows(InvalidRequestException.class,
        () -> TestServer.client("https://codeb_leakLEAK@ssot.example/", env));
    assertFalse(user.getMessage().contains("leak"), user.getMessage());
    InvalidRequestException relative = assertThrows(InvalidRequestException.class,
        () -> TestServer.client("https://ssot.example/?ca=ca.pem", env));
    assertTrue(relative.getMessage().contains("must be an absolute path"), relative.getMessage());
    InvalidRequestException plain = assertThrows(InvalidRequestException.class,
        () -> TestServer.client("http://ssot.example/?ca=/etc/ca.pem", env));
    assertTrue(plain.getMessage().contains("for https:// only"), plain.getMessage());
    // CODEB_SSOT_CA set for a whole shell does not stop a plain http:// store.
    TestServer.client("http://127.0.0.1:1/", Map.of("CODEB_SSOT_CA", "/etc/ca.pem")).close();
  }

  @Test
  void aRateLimitedCallWaitsAsTheServerAsksAndSucceeds() {
    try (TestServer server = TestServer.http(dir, Fixtures.consistent(), 1);
        SsotStore store = server.client(server.writer)) {
      long start = System.nanoTime();
      store.read();
      store.read();
      store.apply(ACME);
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(ms >= 900, "three calls at 1 per second took only " + ms + " ms");
      assertTrue(store.read().ports(ProjectName.of("acme"), Fixtures.PRODUCTION).isPresent());
    }
  }
}
