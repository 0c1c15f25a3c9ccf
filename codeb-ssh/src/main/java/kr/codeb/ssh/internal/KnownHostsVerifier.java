package kr.codeb.ssh.internal;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import kr.codeb.InvalidRequestException;
import kr.codeb.UnavailableException;
import kr.codeb.ssh.HostKey;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts.KnownHostEntry;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * Checks a presented host key against a known_hosts file, OpenSSH's way: hashed and plain host
 * names, {@code [host]:port} for ports other than 22, {@code @revoked} entries. Accepts only a key
 * that is listed for the host; records why it refused otherwise, so the caller can say so. Never
 * writes the file.
 */
final class KnownHostsVerifier implements HostKeyVerifier {
  private final Path file;
  private volatile HostKeyCheck lastCheck;

  KnownHostsVerifier(Path file) {
    this.file = file;
  }

  /** The outcome of the last {@link #verify}, or null if the server never presented a key. */
  HostKeyCheck lastCheck() {
    return lastCheck;
  }

  @Override
  public boolean verify(String hostname, int port, PublicKey key) {
    HostKeyCheck check = check(load(file), hostname, port, key);
    lastCheck = check;
    return check.outcome() == HostKeyCheck.Outcome.TRUSTED;
  }

  @Override
  public List<String> findExistingAlgorithms(String hostname, int port) {
    return load(file).findExistingAlgorithms(hostname, port);
  }

  /** The check against already loaded entries (also used by {@code HostKeys.trust}). */
  static HostKeyCheck check(OpenSSHKnownHosts knownHosts, String hostname, int port, PublicKey key) {
    String name = port == 22 ? hostname : "[" + hostname + "]:" + port;
    HostKey presented = PublicKeys.hostKey(key);
    KeyType type = KeyType.fromKey(key);
    List<String> known = new ArrayList<>();
    boolean trusted = false;
    for (KnownHostEntry entry : knownHosts.entries()) {
      String line = entry.getLine();
      if (line == null || line.startsWith("@cert-authority") || !appliesTo(entry, name)) {
        continue;
      }
      String blob = blobOf(line, entry.getType());
      boolean same = entry.getType() == type && blob.equals(presented.publicKeyBase64());
      if (line.startsWith("@revoked")) {
        if (same) {
          return new HostKeyCheck(HostKeyCheck.Outcome.REVOKED, presented, List.of(presented.fingerprint()));
        }
        continue;
      }
      if (same) {
        trusted = true;
      } else {
        known.add(PublicKeys.fingerprintOfBase64(blob));
      }
    }
    if (trusted) {
      return new HostKeyCheck(HostKeyCheck.Outcome.TRUSTED, presented, List.of());
    }
    return new HostKeyCheck(known.isEmpty() ? HostKeyCheck.Outcome.UNKNOWN
        : HostKeyCheck.Outcome.CHANGED, presented, known);
  }

  private static boolean appliesTo(KnownHostEntry entry, String name) {
    try {
      return entry.appliesTo(name);
    } catch (IOException e) {
      return false;
    }
  }

  /** The base64 key of a known_hosts line: the field after the key type. */
  private static String blobOf(String line, KeyType type) {
    String[] fields = line.trim().split("\\s+");
    for (int i = 0; i < fields.length - 1; i++) {
      if (fields[i].equals(type.toString())) {
        return fields[i + 1];
      }
    }
    return "";
  }

  /** Reads the file; a missing file is an empty one (every host is then unknown). */
  static OpenSSHKnownHosts load(Path file) {
    try {
      String text;
      try {
        text = Files.readString(file);
      } catch (NoSuchFileException e) {
        text = "";
      }
      return new OpenSSHKnownHosts(new StringReader(text));
    } catch (java.nio.charset.MalformedInputException e) {
      throw new InvalidRequestException("known_hosts file " + file + " is not text");
    } catch (IOException e) {
      throw new UnavailableException("cannot read known_hosts file " + file + ": " + e.getMessage(), e);
    }
  }
}
