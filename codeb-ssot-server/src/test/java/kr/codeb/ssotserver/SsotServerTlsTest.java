package kr.codeb.ssotserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import kr.codeb.InvalidRequestException;
import kr.codeb.Secret;
import kr.codeb.UnavailableException;
import kr.codeb.ssot.FileSsotStore;
import kr.codeb.testkit.SeedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server speaking HTTPS with a key store made by the JDK's keytool. */
class SsotServerTlsTest {
  @TempDir Path dir;

  @Test
  void servesHttpsWithTheKeyStoreAndRefusesAWrongPasswordWithoutShowingIt() throws Exception {
    Path keyStore = dir.resolve("server.p12");
    Path pem = dir.resolve("server.pem");
    keytool("-genkeypair", "-alias", "ssot", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype",
        "PKCS12", "-keystore", keyStore.toString(), "-storepass", "right-password");
    keytool("-exportcert", "-rfc", "-alias", "ssot", "-keystore", keyStore.toString(),
        "-storepass", "right-password", "-file", pem.toString());
    ServerTokens tokens = ServerTokens.at(dir.resolve("tokens.json"));
    String token = tokens.create("reader", Set.of(TokenScope.READ)).reveal();
    try (FileSsotStore store = FileSsotStore.open(SeedData.copySsotTo(dir));
        SsotServer server = SsotServer.start(SsotServerConfig.defaults().withListen("127.0.0.1", 0),
            Optional.of(new ServerTls(keyStore, Secret.of("right-password"))), store, tokens,
            line -> { })) {
      HttpClient http = HttpClient.newBuilder().sslContext(trusting(pem)).build();
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(
              URI.create("https://127.0.0.1:" + server.port() + "/api/ssot"))
          .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().contains("\"ranges\""), r.body());
      assertThrows(java.io.IOException.class, () -> HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/healthz"))
              .build(), HttpResponse.BodyHandlers.ofString()), "the JDK's CAs do not trust it");
    }
    try (FileSsotStore store = FileSsotStore.open(SeedData.copySsotTo(dir.resolve("b")))) {
      UnavailableException wrong = assertThrows(UnavailableException.class,
          () -> SsotServer.start(SsotServerConfig.defaults().withListen("127.0.0.1", 0),
              Optional.of(new ServerTls(keyStore, Secret.of("wrong-password"))), store, tokens,
              line -> { }));
      assertFalse(wrong.getMessage().contains("wrong-password"), wrong.getMessage());
      assertTrue(wrong.getMessage().contains("with TLS from"), wrong.getMessage());
    }
    InvalidRequestException missing = assertThrows(InvalidRequestException.class,
        () -> new ServerTls(dir.resolve("nope.p12"), Secret.of("x")));
    assertTrue(missing.getMessage().contains("is not a file"), missing.getMessage());
  }

  private static SSLContext trusting(Path pem) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      trust.setCertificateEntry("server", CertificateFactory.getInstance("X.509")
          .generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
  }
}
