package kr.codeb.deploy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import kr.codeb.InvalidRequestException;

/**
 * Where a release's container environment came from, without its values: the env file (as the
 * path that was given) and the keys given as single options ({@code -e KEY=...}). Kept in the
 * release history so that a rollback which must recreate a container can read the same source
 * again, and tell by {@link #hashOf} whether its values changed since.
 *
 * @param file the env file the values were read from, if any
 * @param optionKeys the keys given one by one, in the order given (their values are not kept)
 */
public record EnvSource(Optional<String> file, List<String> optionKeys) {
  /** No environment at all. */
  public static final EnvSource NONE = new EnvSource(Optional.empty(), List.of());

  public EnvSource {
    Objects.requireNonNull(file, "file");
    optionKeys = List.copyOf(optionKeys);
  }

  /**
   * How {@link #file} names a project's own env file on its app server (see {@code
   * kr.codeb.env.EnvFileStore}) rather than a file given by path: this prefix, then the file's
   * location such as {@code app1:/opt/codeb/env/shop-production.env}.
   */
  public static final String PROJECT_FILE_PREFIX = "project-env-file:";

  /** Values from the project's env file at {@code location}, then {@code optionKeys}. */
  public static EnvSource projectFile(String location, List<String> optionKeys) {
    return new EnvSource(Optional.of(PROJECT_FILE_PREFIX + location), optionKeys);
  }

  /** The location of the project's env file the values came from, if they did. */
  public Optional<String> projectFile() {
    return file.filter(f -> f.startsWith(PROJECT_FILE_PREFIX))
        .map(f -> f.substring(PROJECT_FILE_PREFIX.length()));
  }

  public boolean isEmpty() {
    return file.isEmpty() && optionKeys.isEmpty();
  }

  /**
   * A SHA-256 over the keys and values, sorted by key ({@code sha256:<hex>}), to tell whether
   * an environment is the one a release had. It identifies a set of values; it does not hide a
   * value that is easy to guess, so it is shown only where the history is (never beside it).
   */
  public static String hashOf(Map<String, String> env) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(e.getValue().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
    }
    return "sha256:" + HexFormat.of().formatHex(sha.digest());
  }

  /** The hash of a release whose environment was not recorded (an older history line). */
  public static final String UNRECORDED = "";

  /** Checks the form of a hash read back from a history: {@code sha256:<hex>} or unrecorded. */
  public static String checkHash(String hash) {
    if (hash == null || !(hash.equals(UNRECORDED) || hash.matches("sha256:[0-9a-f]{64}"))) {
      throw new InvalidRequestException("invalid environment hash: expected sha256:<64 hex>");
    }
    return hash;
  }

  /** For people: {@code env file ./prod.env and -e A, B}, or {@code no environment}. */
  public String describe() {
    if (isEmpty()) {
      return "no environment";
    }
    String f = projectFile().map(p -> "the project's env file " + p)
        .or(() -> file.map(p -> "env file " + p)).orElse("");
    String o = optionKeys.isEmpty() ? "" : "-e " + String.join(", ", optionKeys);
    return f.isEmpty() ? o : o.isEmpty() ? f : f + " and " + o;
  }
}
