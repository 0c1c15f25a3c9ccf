package kr.codeb.cli;

import static kr.codeb.cli.WeRunner.run;
import static kr.codeb.cli.WeRunner.seedCopy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import kr.codeb.ProviderRegistry;
import kr.codeb.ports.SsotStore;
import kr.codeb.ssotserver.ServerTls;
import kr.codeb.ssotserver.ServerTokens;
import kr.codeb.ssotserver.SsotServer;
import kr.codeb.ssotserver.SsotServerConfig;
import kr.codeb.ssotserver.TokenScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code we --ssot https://...} (and {@code ssot:} in the config file) against the real server
 * with a self-signed certificate that {@code CODEB_SSOT_CA} names, token in
 * {@code CODEB_SSOT_TOKEN}.
 */
class SsotOverHttpsCommandTest {
  @TempDir Path dir;

  @Test
  void ssotCommandsWorkOverHttpsAndBadTokensAreClearErrors() throws Exception {
    Path ssot = seedCopy(dir, "ssot.json");
    String password = "pw-" + System.nanoTime();
    Path keyStore = dir.resolve("server.p12");
    Path pem = dir.resolve("server.pem");
    keytool("-genkeypair", "-alias", "ssot", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype",
        "PKCS12", "-keystore", keyStore.toString(), "-storepass", password);
    keytool("-exportcert", "-rfc", "-alias", "ssot", "-keystore", keyStore.toString(),
        "-storepass", password, "-file", pem.toString());
    ServerTokens tokens = ServerTokens.at(dir.resolve("tokens.json"));
    String token = tokens.create("ci", Set.of(TokenScope.ALLOCATE, TokenScope.REPAIR)).reveal();
    try (SsotStore store = ProviderRegistry.load().ssotStore(ssot.toString());
        SsotServer server = SsotServer.start(SsotServerConfig.defaults()
                .withListen("127.0.0.1", 0).withRate(1000),
            Optional.of(new ServerTls(keyStore, kr.codeb.Secret.of(password))), store, tokens,
            line -> { })) {
      String uri = "https://127.0.0.1:" + server.port() + "/";
      Map<String, String> env = new HashMap<>(Map.of("CODEB_SSOT_TOKEN", token,
          "CODEB_SSOT_CA", pem.toString()));

      String allocated = run(env, "--ssot", uri, "ssot", "allocate", "acme", "--env",
          "production").expect(0).out();
      assertTrue(allocated.contains("(allocated)"), allocated);
      String show = run(env, "--ssot", uri, "ssot", "show").expect(0).out();
      assertTrue(show.startsWith("SSOT " + uri), show);
      assertTrue(show.contains("acme"), show);
      run(env, "--ssot", uri, "ssot", "check").out();
      run(env, "--ssot", uri, "ssot", "repair").out();
      // The same through the config file's ssot: key.
      Path config = dir.resolve("codeb.yaml");
      Files.writeString(config, "ssot: " + uri + "\n");
      String json = run(env, "--config", config.toString(), "--json", "ssot", "show")
          .expect(0).out();
      assertTrue(json.contains("\"acme\""), json);
      assertTrue(run(env, "--ssot", uri, "ssot", "release", "acme", "--env", "production")
          .expect(0).out().contains("acme"));

      byte[] before = Files.readAllBytes(ssot);
      Map<String, String> wrong = new HashMap<>(env);
      wrong.put("CODEB_SSOT_TOKEN", "codeb_notTHEtokenNOTthetoken");
      WeRunner.Result denied = run(wrong, "--ssot", uri, "ssot", "allocate", "acme", "--env",
          "production").expect(1);
      assertTrue(denied.err().contains("401") && denied.err().contains("CODEB_SSOT_TOKEN"),
          denied.err());
      assertFalse(denied.err().contains("notTHE") || denied.out().contains("notTHE"));
      Map<String, String> none = new HashMap<>(env);
      none.remove("CODEB_SSOT_TOKEN");
      assertTrue(run(none, "--ssot", uri, "ssot", "show").expect(1).err()
          .contains("set CODEB_SSOT_TOKEN"));
      Map<String, String> noCa = new HashMap<>(env);
      noCa.remove("CODEB_SSOT_CA");
      assertTrue(run(noCa, "--ssot", uri, "ssot", "show").expect(1).err()
          .contains("is not trusted"));
      assertTrue(run(env, "--ssot", uri + "?token=" + token, "ssot", "show").expect(2).err()
          .contains("unknown parameter 'token'"));
      assertArrayEquals(before, Files.readAllBytes(ssot), "nothing written by the refusals");
    }
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
  }
}
