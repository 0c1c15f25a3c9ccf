package kr.codeb.ssh;

import java.util.regex.Pattern;
import kr.codeb.InvalidRequestException;

/**
 * A server's public host key.
 *
 * @param algorithm the key type as written in known_hosts, e.g. {@code ssh-ed25519}
 * @param fingerprint the OpenSSH SHA-256 fingerprint, {@code SHA256:} and 43 base64 characters
 *     (what {@code ssh-keygen -lf} and {@code ssh} print)
 * @param publicKeyBase64 the key blob in base64, as in a known_hosts line
 */
public record HostKey(String algorithm, String fingerprint, String publicKeyBase64) {
  private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");

  public HostKey {
    if (algorithm == null || !algorithm.matches("[A-Za-z0-9@._-]{1,64}")) {
      throw new InvalidRequestException("invalid host key algorithm '" + algorithm + "'");
    }
    checkFingerprint(fingerprint);
    if (publicKeyBase64 == null || !publicKeyBase64.matches("[A-Za-z0-9+/]+={0,2}")) {
      throw new InvalidRequestException("invalid host key: not base64");
    }
  }

  /**
   * Requires the OpenSSH SHA-256 form {@code SHA256:} + 43 base64 characters and returns it;
   * otherwise throws {@link InvalidRequestException} naming the form.
   */
  public static String checkFingerprint(String fingerprint) {
    if (fingerprint == null || !FINGERPRINT.matcher(fingerprint).matches()) {
      throw new InvalidRequestException("invalid host key fingerprint "
          + (fingerprint == null ? "(none)" : "'" + (fingerprint.length() > 80
              ? fingerprint.substring(0, 80) + "..." : fingerprint) + "'")
          + ": use the SHA-256 form that ssh-keygen -lf prints, e.g."
          + " SHA256:FzTrinXW98JU0S+fx/vXEyj4cubjbfYCxZLipoAg5RI");
    }
    return fingerprint;
  }

  /** The known_hosts line trusting this key for {@code target} ({@code [host]:port} off port 22). */
  public String knownHostsLine(SshTarget target) {
    return knownHostsName(target) + " " + algorithm + " " + publicKeyBase64;
  }

  /** How known_hosts names {@code target}: {@code host} on port 22, else {@code [host]:port}. */
  public static String knownHostsName(SshTarget target) {
    return target.port() == SshTarget.DEFAULT_PORT
        ? target.host() : "[" + target.host() + "]:" + target.port();
  }

  @Override
  public String toString() {
    return algorithm + " " + fingerprint;
  }
}
