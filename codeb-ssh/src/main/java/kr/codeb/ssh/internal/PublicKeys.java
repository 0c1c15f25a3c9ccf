package kr.codeb.ssh.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import kr.codeb.ssh.HostKey;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;

/** Host key encodings: the SSH wire blob, its OpenSSH SHA-256 fingerprint. */
public final class PublicKeys {
  private PublicKeys() {}

  /** The key as a {@link HostKey} (type, SHA-256 fingerprint, base64 blob). */
  public static HostKey hostKey(PublicKey key) {
    byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    return new HostKey(KeyType.fromKey(key).toString(), fingerprint(blob),
        Base64.getEncoder().encodeToString(blob));
  }

  /** {@code SHA256:} + unpadded base64 of the SHA-256 of the key blob, as OpenSSH prints it. */
  public static String fingerprint(byte[] blob) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** The fingerprint of a base64 key blob as written in known_hosts; empty string if not base64. */
  public static String fingerprintOfBase64(String base64) {
    try {
      return fingerprint(Base64.getDecoder().decode(base64.getBytes(StandardCharsets.US_ASCII)));
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
