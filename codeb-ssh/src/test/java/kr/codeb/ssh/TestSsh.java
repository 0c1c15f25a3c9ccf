package kr.codeb.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kr.codeb.tck.TestEngines;

/**
 * The test sshd of {@code scripts/test-env.sh} (127.0.0.11, its key and known_hosts), found
 * through the {@code CODEB_TEST_SSH_*} variables: missing ones fail under CI=true, skip otherwise.
 */
final class TestSsh {
  private TestSsh() {}

  static SshTarget target() {
    return new SshTarget(TestEngines.require("CODEB_TEST_SSH_USER"),
        TestEngines.require("CODEB_TEST_SSH_HOST"),
        Integer.parseInt(TestEngines.require("CODEB_TEST_SSH_PORT")));
  }

  static SshConfig config() {
    return SshConfig.of(Path.of(TestEngines.require("CODEB_TEST_SSH_KEY")))
        .withKnownHosts(knownHosts())
        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30));
  }

  static Path knownHosts() {
    return Path.of(TestEngines.require("CODEB_TEST_SSH_KNOWN_HOSTS"));
  }

  static Path rsaKey() {
    return Path.of(TestEngines.require("CODEB_TEST_SSH_RSA_KEY"));
  }

  /** The second test server (127.0.0.12), with a host key of its own. */
  static SshTarget targetB() {
    return new SshTarget(TestEngines.require("CODEB_TEST_SSH_USER"),
        TestEngines.require("CODEB_TEST_SSH_HOST_B"),
        Integer.parseInt(TestEngines.require("CODEB_TEST_SSH_PORT_B")));
  }

  /** Runs a local program (ssh-keygen) and returns its stdout; fails on a non-zero exit. */
  static String run(String... command) {
    try {
      Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A new, unencrypted ed25519 key pair in {@code dir}; returns the private key file. */
  static Path newKey(Path dir, String name) {
    Path key = dir.resolve(name);
    run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "codeb-test-other", "-f", key.toString());
    return key;
  }

  /** The SHA256 fingerprints {@code ssh-keygen -l} prints for a known_hosts or .pub file. */
  static List<String> fingerprints(Path file) {
    List<String> result = new ArrayList<>();
    for (String line : run("ssh-keygen", "-l", "-E", "sha256", "-f", file.toString()).split("\n")) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length > 1 && fields[1].startsWith("SHA256:")) {
        result.add(fields[1]);
      }
    }
    return result;
  }
}
