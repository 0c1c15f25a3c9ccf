package kr.codeb.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Optional;
import kr.codeb.AuthException;
import kr.codeb.Checks;
import kr.codeb.UnavailableException;
import kr.codeb.ssh.internal.Connector;
import kr.codeb.ssh.internal.HostKeyTrust;
import kr.codeb.ssh.internal.PublicKeys;

/**
 * Reading and trusting servers' host keys, for {@code we fleet trust}. Nothing here logs in or runs
 * anything on the server, and nothing trusts a key the caller did not ask to trust.
 */
public final class HostKeys {
  private HostKeys() {}

  /**
   * The host key {@code target} presents, read by starting a key exchange and stopping before any
   * login. Trusts nothing and writes nothing. Throws {@link UnavailableException} when the server
   * cannot be reached within {@code timeout}.
   */
  public static HostKey presented(SshTarget target, Duration timeout) {
    Checks.positive("timeout", timeout);
    return PublicKeys.hostKey(Connector.presentedKey(target, timeout));
  }

  /**
   * Records the key {@code target} presents in {@code knownHosts} (as {@code host} on port 22, else
   * {@code [host]:port}) and returns it.
   *
   * <ul>
   *   <li>With {@code expectedFingerprint} ({@code SHA256:...}), the presented key must have that
   *       fingerprint, else {@link AuthException} naming both and nothing is written.
   *   <li>A key already listed for the host is returned without writing anything.
   *   <li>When the file lists a different key for the host (a changed key), {@link AuthException}
   *       naming both fingerprints; nothing is written (the old entry must be removed by hand).
   *   <li>The file and its folder are created when missing (modes 0600 and 0700); the new line is
   *       appended by writing a complete new file and renaming it over the old one.
   * </ul>
   */
  public static HostKey trust(SshTarget target, Path knownHosts,
      Optional<String> expectedFingerprint, Duration timeout) {
    expectedFingerprint.ifPresent(HostKey::checkFingerprint);
    Checks.positive("timeout", timeout);
    PublicKey key = Connector.presentedKey(target, timeout);
    HostKey presented = PublicKeys.hostKey(key);
    if (expectedFingerprint.isPresent() && !expectedFingerprint.get().equals(presented.fingerprint())) {
      throw new AuthException("host key of " + target.address() + " is " + presented
          + ", not the expected " + expectedFingerprint.get() + "; not trusted, "
          + knownHosts + " is unchanged");
    }
    if (HostKeyTrust.isAlreadyTrusted(target, knownHosts, key)) {
      return presented;
    }
    append(knownHosts, presented.knownHostsLine(target));
    return presented;
  }

  private static void append(Path file, String line) {
    try {
      Path folder = file.toAbsolutePath().getParent();
      if (!Files.isDirectory(folder)) {
        Files.createDirectories(folder,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      String old;
      try {
        old = Files.readString(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        old = "";
      }
      String text = old + (old.isEmpty() || old.endsWith("\n") ? "" : "\n") + line + "\n";
      Path temp = Files.createTempFile(folder, ".known_hosts.", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        if (Files.exists(file)) {
          Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(file));
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UnavailableException("cannot write known_hosts file " + file + ": " + e.getMessage(), e);
    }
  }
}
