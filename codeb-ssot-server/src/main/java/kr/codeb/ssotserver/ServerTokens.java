package kr.codeb.ssotserver;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.Secret;
import kr.codeb.ssotserver.internal.TokenFile;

/**
 * The bearer tokens of an SSOT server, in a file (mode 0600) that holds each token's name,
 * scopes, creation time and the SHA-256 hash of its value, never the value. A token's value is
 * 32 random bytes (base64url, prefixed {@code codeb_}): high entropy, so one SHA-256 is enough
 * to make the file useless to a reader. Checking a presented token compares its hash with every
 * stored hash in constant time ({@link MessageDigest#isEqual}), all of them every time.
 *
 * <p>Changes (create, revoke) rewrite the file through a temporary file and a rename; the
 * server reads the file again when it changed, so a revoked token stops working without a
 * restart. Safe for use from several threads.
 */
public final class ServerTokens {
  private static final String PREFIX = "codeb_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final TokenFile file;
  private final Clock clock;

  private ServerTokens(Path path, Clock clock) {
    this.file = new TokenFile(path);
    this.clock = clock;
  }

  /** The tokens of {@code path}; a missing file means no tokens. Does no I/O. */
  public static ServerTokens at(Path path) {
    return new ServerTokens(path, Clock.systemUTC());
  }

  public Path path() {
    return file.path();
  }

  /**
   * Creates a token and returns its value, which is nowhere else: show it once.
   *
   * @throws InvalidRequestException if the name is taken or not a label, or no scope is given
   */
  public synchronized Secret create(String name, Set<TokenScope> scopes) {
    TokenInfo info = new TokenInfo(name, scopes, clock.instant().truncatedTo(
        java.time.temporal.ChronoUnit.SECONDS));
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    String value = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    file.add(info, hash(value));
    return Secret.of(value);
  }

  /** Every token, by name, without values. */
  public List<TokenInfo> list() {
    return file.entries().stream().map(TokenFile.Entry::info).toList();
  }

  /**
   * Removes the token named {@code name}.
   *
   * @throws NotFoundException if there is none
   */
  public synchronized void revoke(String name) {
    if (!file.remove(name)) {
      throw new NotFoundException("no token named " + kr.codeb.Checks.quote(name));
    }
  }

  /** The token whose value is {@code presented}, if any (constant time per stored token). */
  public Optional<TokenInfo> verify(String presented) {
    if (presented == null || presented.length() > 200) {
      return Optional.empty();
    }
    byte[] given = hash(presented);
    TokenInfo found = null;
    for (TokenFile.Entry e : file.entries()) {
      if (MessageDigest.isEqual(given, e.sha256()) && found == null) {
        found = e.info();
      }
    }
    return Optional.ofNullable(found);
  }

  static byte[] hash(String value) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
