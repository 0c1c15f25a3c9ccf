package kr.codeb.ssothttp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kr.codeb.Secret;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made once per test JVM with the JDK's
 * {@code keytool}: the server's PKCS#12 key store and the certificate as PEM for the client.
 */
record SelfSigned(Path keyStore, Secret password, Path certificate) {
  private static SelfSigned made;

  static synchronized SelfSigned get() {
    if (made == null) {
      made = make();
    }
    return made;
  }

  private static SelfSigned make() {
    try {
      Path dir = Files.createTempDirectory("codeb-ssot-tls-");
      dir.toFile().deleteOnExit();
      Path keyStore = dir.resolve("server.p12");
      Path pem = dir.resolve("server.pem");
      String password = "test-" + Long.toHexString(System.nanoTime());
      keytool("-genkeypair", "-alias", "ssot", "-keyalg", "EC", "-groupname", "secp256r1",
          "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
          "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", password,
          "-keypass", password);
      keytool("-exportcert", "-rfc", "-alias", "ssot", "-keystore", keyStore.toString(),
          "-storepass", password, "-file", pem.toString());
      keyStore.toFile().deleteOnExit();
      pem.toFile().deleteOnExit();
      return new SelfSigned(keyStore, Secret.of(password), pem);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("keytool failed", e);
    }
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool " + args[0] + " failed: " + out);
    }
  }
}
