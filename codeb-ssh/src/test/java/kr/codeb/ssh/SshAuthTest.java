package kr.codeb.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import kr.codeb.AuthException;
import kr.codeb.CodeBException;
import kr.codeb.InvalidRequestException;
import kr.codeb.UnavailableException;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logins that must fail, and fail clearly, against the real test sshd; passphrase keys. */
class SshAuthTest {
  private static final Duration T = Duration.ofSeconds(5);

  @TempDir
  Path tmp;

  @Test
  void wrongUserIsAnAuthFailure() {
    SshTarget t = TestSsh.target();
    SshTarget wrong = new SshTarget("codeb-no-such-user", t.host(), t.port());
    AuthException e = assertThrows(AuthException.class, () -> Ssh.connect(wrong, TestSsh.config()));
    assertTrue(e.getMessage().contains("login to codeb-no-such-user@"), e.getMessage());
    assertTrue(e.getMessage().contains("authorized_keys"), e.getMessage());
    assertFalse(e.isRetryable());
  }

  @Test
  void keyNotAuthorizedIsAnAuthFailure() {
    Path other = TestSsh.newKey(tmp, "id_other");
    AuthException e = assertThrows(AuthException.class, () -> Ssh.connect(TestSsh.target(),
        new SshConfig(other, java.util.Optional.empty(), TestSsh.knownHosts(), T, T,
            java.util.Optional.empty())));
    assertTrue(e.getMessage().contains(other.toString()), e.getMessage());
  }

  @Test
  void passphraseKeyLogsInWithThePassphraseFromTheNamedVariable() {
    String passphrase = TestEngines.require("CODEB_TEST_SSH_RSA_KEY_PASSPHRASE");
    SshConfig config = SshConfig.of(TestSsh.rsaKey()).withKnownHosts(TestSsh.knownHosts())
        .withPassphraseVariable("CODEB_TEST_SSH_RSA_KEY_PASSPHRASE");
    try (SshConnection ssh = Ssh.connect(TestSsh.target(), config)) {
      assertEquals("ok\n", ssh.exec("echo ok", T).stdout());
      assertFalse(ssh.toString().contains(passphrase));
    }
    assertFalse(config.toString().contains(passphrase), "the config names the variable only");
    assertTrue(config.toString().contains("CODEB_TEST_SSH_RSA_KEY_PASSPHRASE"));
  }

  @Test
  void encryptedKeyWithoutPassphraseVariableIsRefusedBeforeConnecting() {
    SshConfig config = SshConfig.of(TestSsh.rsaKey()).withKnownHosts(TestSsh.knownHosts());
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> Ssh.connect(TestSsh.target(), config));
    assertTrue(e.getMessage().contains("is encrypted"), e.getMessage());
  }

  @Test
  void unsetPassphraseVariableIsNamed() {
    SshConfig config = SshConfig.of(TestSsh.rsaKey()).withKnownHosts(TestSsh.knownHosts())
        .withPassphraseVariable("CODEB_TEST_NO_SUCH_VARIABLE_42");
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> Ssh.connect(TestSsh.target(), config));
    assertTrue(e.getMessage().contains("CODEB_TEST_NO_SUCH_VARIABLE_42"), e.getMessage());
  }

  @Test
  void wrongPassphraseFailsWithoutShowingIt() {
    // a set variable holding the wrong passphrase: the ed25519 key's path
    String wrongValue = TestEngines.require("CODEB_TEST_SSH_KEY");
    String passphrase = TestEngines.require("CODEB_TEST_SSH_RSA_KEY_PASSPHRASE");
    SshConfig config = SshConfig.of(TestSsh.rsaKey()).withKnownHosts(TestSsh.knownHosts())
        .withPassphraseVariable("CODEB_TEST_SSH_KEY");
    AuthException e = assertThrows(AuthException.class, () -> Ssh.connect(TestSsh.target(), config));
    assertTrue(e.getMessage().contains("CODEB_TEST_SSH_KEY"), e.getMessage());
    assertNoSecret(e, wrongValue);
    assertNoSecret(e, passphrase);
  }

  private static void assertNoSecret(Throwable e, String secret) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertFalse(String.valueOf(t.getMessage()).contains(secret), "secret in " + t);
      assertFalse(t.toString().contains(secret), "secret in " + t);
    }
  }

  @Test
  void missingKeyFileIsInvalid() {
    SshConfig config = SshConfig.of(tmp.resolve("nope")).withKnownHosts(TestSsh.knownHosts());
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> Ssh.connect(TestSsh.target(), config));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void garbageKeyFileIsInvalid() throws IOException {
    Path junk = Files.writeString(tmp.resolve("junk"), "not a key\n");
    assertThrows(InvalidRequestException.class, () -> Ssh.connect(TestSsh.target(),
        SshConfig.of(junk).withKnownHosts(TestSsh.knownHosts())));
  }

  @Test
  void stoppedSshdIsUnavailableWithinTheConnectTimeout() throws IOException {
    SshTarget t = TestSsh.target();
    int freePort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(t.host()))) {
      freePort = s.getLocalPort();
    }
    SshTarget stopped = new SshTarget(t.user(), t.host(), freePort);
    long start = System.nanoTime();
    UnavailableException e = assertThrows(UnavailableException.class, () -> Ssh.connect(stopped,
        TestSsh.config().withTimeouts(Duration.ofSeconds(2), T)));
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos());
    assertTrue(e.getMessage().contains("refused the connection"), e.getMessage());
    assertTrue(e.isRetryable());
  }

  @Test
  void silentServerIsUnavailableWithinTheConnectTimeout() throws IOException {
    // accepts TCP (the kernel does) but never speaks SSH: only the connect timeout ends the wait
    try (ServerSocket silent = new ServerSocket()) {
      silent.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 5);
      SshTarget t = new SshTarget("root", "127.0.0.1", silent.getLocalPort());
      long start = System.nanoTime();
      CodeBException e = assertThrows(UnavailableException.class, () -> Ssh.connect(t,
          TestSsh.config().withTimeouts(Duration.ofMillis(1500), T)));
      long took = (System.nanoTime() - start) / 1_000_000;
      assertTrue(took >= 1400 && took < 4000, "took " + took + " ms");
      assertTrue(e.getMessage().contains("1.5 s"), e.getMessage());
    }
  }
}
