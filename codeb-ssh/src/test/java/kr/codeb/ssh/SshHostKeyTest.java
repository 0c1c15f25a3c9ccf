package kr.codeb.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import kr.codeb.AuthException;
import kr.codeb.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host keys against the real test sshd: verified against known_hosts (plain, hashed,
 * {@code [host]:port}), unknown and changed keys refused with their fingerprints, and trusting a
 * key through {@link HostKeys}.
 */
class SshHostKeyTest {
  private static final Duration T = Duration.ofSeconds(5);

  @TempDir
  Path tmp;

  /** The fingerprint of the server's key, as ssh-keygen reads it from the test known_hosts. */
  private static String serverFingerprint() {
    String name = HostKey.knownHostsName(TestSsh.target());
    for (String line : TestSsh.run("ssh-keygen", "-l", "-E", "sha256", "-F", name, "-f",
        TestSsh.knownHosts().toString()).split("\n")) {
      for (String field : line.trim().split("\\s+")) {
        if (field.startsWith("SHA256:")) {
          return field;
        }
      }
    }
    throw new AssertionError("no key for " + name + " in " + TestSsh.knownHosts());
  }

  private SshConfig configWith(Path knownHosts) {
    return TestSsh.config().withKnownHosts(knownHosts);
  }

  @Test
  void presentedKeyHasTheFingerprintSshKeygenPrints() {
    HostKey key = HostKeys.presented(TestSsh.target(), T);
    assertEquals("ssh-ed25519", key.algorithm());
    assertEquals(serverFingerprint(), key.fingerprint());
  }

  @Test
  void unknownHostIsRefusedWithItsFingerprintAndTheTrustCommand() throws IOException {
    Path empty = Files.writeString(tmp.resolve("known_hosts"), "");
    AuthException e = assertThrows(AuthException.class,
        () -> Ssh.connect(TestSsh.target(), configWith(empty).withServerName("app1")));
    assertTrue(e.getMessage().contains("is not known"), e.getMessage());
    assertTrue(e.getMessage().contains(serverFingerprint()), e.getMessage());
    assertTrue(e.getMessage().contains("we fleet trust app1 --fingerprint " + serverFingerprint()),
        e.getMessage());
    assertEquals("", Files.readString(empty), "refusing must not write known_hosts");
  }

  @Test
  void missingKnownHostsFileMeansUnknown() {
    AuthException e = assertThrows(AuthException.class,
        () -> Ssh.connect(TestSsh.target(), configWith(tmp.resolve("none"))));
    assertTrue(e.getMessage().contains("we fleet trust SERVER"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("none")));
  }

  @Test
  void changedKeyIsRefusedNamingBothFingerprints() throws IOException {
    Path other = TestSsh.newKey(tmp, "other_host_key");
    String otherLine = Files.readString(Path.of(other + ".pub")).trim().split("\\s+", 3)[0] + " "
        + Files.readString(Path.of(other + ".pub")).trim().split("\\s+", 3)[1];
    Path knownHosts = Files.writeString(tmp.resolve("known_hosts"),
        HostKey.knownHostsName(TestSsh.target()) + " " + otherLine + "\n");
    String otherFingerprint = TestSsh.fingerprints(Path.of(other + ".pub")).get(0);

    AuthException e = assertThrows(AuthException.class,
        () -> Ssh.connect(TestSsh.target(), configWith(knownHosts)));
    assertTrue(e.getMessage().contains("CHANGED"), e.getMessage());
    assertTrue(e.getMessage().contains(serverFingerprint()), e.getMessage());
    assertTrue(e.getMessage().contains(otherFingerprint), e.getMessage());
    assertNotEquals(serverFingerprint(), otherFingerprint);
  }

  @Test
  void keyOfAnotherServerDoesNotVouchForThisOne() throws IOException {
    // server B's own key, but listed under server A's name: a changed key for A
    String keyB = HostKeys.presented(TestSsh.targetB(), T).knownHostsLine(TestSsh.target());
    Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), keyB + "\n");
    assertThrows(AuthException.class, () -> Ssh.connect(TestSsh.target(), configWith(knownHosts)));
  }

  @Test
  void entryForPort22DoesNotMatchAnotherPort() throws IOException {
    HostKey key = HostKeys.presented(TestSsh.target(), T);
    Path knownHosts = Files.writeString(tmp.resolve("known_hosts"),
        TestSsh.target().host() + " " + key.algorithm() + " " + key.publicKeyBase64() + "\n");
    AuthException e = assertThrows(AuthException.class,
        () -> Ssh.connect(TestSsh.target(), configWith(knownHosts)));
    assertTrue(e.getMessage().contains("is not known"), e.getMessage());
  }

  @Test
  void hashedKnownHostsEntriesAreMatched() throws IOException {
    Path hashed = tmp.resolve("known_hosts");
    Files.copy(TestSsh.knownHosts(), hashed);
    TestSsh.run("ssh-keygen", "-H", "-f", hashed.toString());
    assertTrue(Files.readString(hashed).startsWith("|1|"), "ssh-keygen -H hashed the names");
    try (SshConnection ssh = Ssh.connect(TestSsh.target(), configWith(hashed))) {
      assertEquals("ok\n", ssh.exec("echo ok", T).stdout());
    }
  }

  @Test
  void revokedKeyIsRefused() throws IOException {
    HostKey key = HostKeys.presented(TestSsh.target(), T);
    Path knownHosts = Files.writeString(tmp.resolve("known_hosts"),
        Files.readString(TestSsh.knownHosts()) + "@revoked * " + key.algorithm() + " "
            + key.publicKeyBase64() + "\n");
    AuthException e = assertThrows(AuthException.class,
        () -> Ssh.connect(TestSsh.target(), configWith(knownHosts)));
    assertTrue(e.getMessage().contains("@revoked"), e.getMessage());
  }

  @Test
  void trustAppendsTheKeyAndThenConnectionsWork() throws IOException {
    Path knownHosts = tmp.resolve("sub/known_hosts");
    HostKey trusted = HostKeys.trust(TestSsh.target(), knownHosts, Optional.empty(), T);
    assertEquals(serverFingerprint(), trusted.fingerprint());
    List<String> lines = Files.readAllLines(knownHosts);
    assertEquals(List.of(trusted.knownHostsLine(TestSsh.target())), lines);
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(knownHosts)));
    assertEquals(List.of(serverFingerprint()), TestSsh.fingerprints(knownHosts));
    try (SshConnection ssh = Ssh.connect(TestSsh.target(), configWith(knownHosts))) {
      assertEquals("ok\n", ssh.exec("echo ok", T).stdout());
    }
    // trusting again writes nothing new
    HostKeys.trust(TestSsh.target(), knownHosts, Optional.of(serverFingerprint()), T);
    assertEquals(lines, Files.readAllLines(knownHosts));
  }

  @Test
  void trustWithTheWrongFingerprintWritesNothing() throws IOException {
    Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), "# mine\n");
    String wrong = "SHA256:" + "A".repeat(43);
    AuthException e = assertThrows(AuthException.class,
        () -> HostKeys.trust(TestSsh.target(), knownHosts, Optional.of(wrong), T));
    assertTrue(e.getMessage().contains(wrong), e.getMessage());
    assertTrue(e.getMessage().contains(serverFingerprint()), e.getMessage());
    assertEquals("# mine\n", Files.readString(knownHosts));
    assertThrows(InvalidRequestException.class,
        () -> HostKeys.trust(TestSsh.target(), knownHosts, Optional.of("md5:00"), T));
  }

  @Test
  void trustRefusesToReplaceAChangedKey() throws IOException {
    Path other = TestSsh.newKey(tmp, "other");
    String[] pub = Files.readString(Path.of(other + ".pub")).trim().split("\\s+");
    String line = HostKey.knownHostsName(TestSsh.target()) + " " + pub[0] + " " + pub[1] + "\n";
    Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), line);
    AuthException e = assertThrows(AuthException.class,
        () -> HostKeys.trust(TestSsh.target(), knownHosts, Optional.empty(), T));
    assertTrue(e.getMessage().contains("ssh-keygen -R"), e.getMessage());
    assertEquals(line, Files.readString(knownHosts));
  }
}
