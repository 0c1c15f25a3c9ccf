package kr.codeb.cli;

import static kr.codeb.cli.WeRunner.run;
import static kr.codeb.cli.WeRunner.seedCopy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code we ssot token ...} in-process, and {@code we ssot serve} as its own process. */
class SsotServeCommandTest {
  @TempDir Path dir;

  @Test
  void tokensAreShownOnceListedByNameAndServeAnswersWithThem() throws Exception {
    Path ssot = seedCopy(dir, "ssot.json");
    Path tokens = dir.resolve("tokens.json");
    String token = run("ssot", "token", "create", "ci-app1", "--scope", "allocate",
        "--tokens", tokens.toString()).expect(0).out().strip();
    assertTrue(token.startsWith("codeb_") && token.length() > 40, token);
    WeRunner.Result list = run("ssot", "token", "list", "--tokens", tokens.toString()).expect(0);
    assertTrue(list.out().contains("ci-app1") && list.out().contains("allocate"), list.out());
    assertFalse(list.out().contains(token) || Files.readString(tokens).contains(token));
    WeRunner.Result bad = run("ssot", "token", "create", "x", "--scope", "admin", "--tokens",
        tokens.toString()).expect(2);
    assertTrue(bad.err().contains("unknown token scope 'admin': use read, allocate or repair"), bad.err());

    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
    Process server = new ProcessBuilder(javaBin.toString(), "-cp",
        System.getProperty("java.class.path"), Main.class.getName(), "--ssot", ssot.toString(),
        "ssot", "serve", "--listen", "127.0.0.1:" + port, "--tokens", tokens.toString())
        .redirectErrorStream(true).start();
    try {
      BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(),
          StandardCharsets.UTF_8));
      String first = lines.readLine();
      assertTrue(first != null && first.startsWith("serving "), String.valueOf(first));
      HttpClient http = HttpClient.newHttpClient();
      URI base = URI.create("http://127.0.0.1:" + port);
      assertEquals(200, http.send(HttpRequest.newBuilder(base.resolve("/healthz")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
      assertEquals(401, http.send(HttpRequest.newBuilder(base.resolve("/api/ssot")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
      byte[] before = Files.readAllBytes(ssot);
      HttpResponse<String> allocated = http.send(HttpRequest.newBuilder(
              base.resolve("/api/port/allocate")).header("Authorization", "Bearer " + token)
          .header("If-Match", "*").timeout(Duration.ofSeconds(10))
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"project\":\"acme\",\"environment\":\"production\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, allocated.statusCode(), allocated.body());
      assertFalse(java.util.Arrays.equals(before, Files.readAllBytes(ssot)));
      // The write's JSON line on stdout: the token's name, not its value.
      String logLine = lines.readLine();
      assertTrue(logLine.contains("\"token\":\"ci-app1\"") && !logLine.contains(token), logLine);
      run("ssot", "token", "revoke", "ci-app1", "--tokens", tokens.toString()).expect(0);
      byte[] after = Files.readAllBytes(ssot);
      assertEquals(401, http.send(HttpRequest.newBuilder(base.resolve("/api/ssot"))
          .header("Authorization", "Bearer " + token).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
      assertArrayEquals(after, Files.readAllBytes(ssot));
    } finally {
      server.destroy();
      assertTrue(server.waitFor(20, TimeUnit.SECONDS), "serve stops on SIGTERM");
    }
  }
}
