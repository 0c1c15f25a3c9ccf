package kr.codeb.ssot;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderConfig;
import kr.codeb.ports.SsotStore;
import kr.codeb.ports.SsotStoreFactory;

/**
 * Builds a {@link FileSsotStore} from {@code file:///opt/codeb/registry/ssot.json}. Does no I/O:
 * a missing file is reported by the first read.
 */
public final class FileSsotStoreFactory implements SsotStoreFactory {
  @Override
  public Set<String> schemes() {
    return Set.of("file");
  }

  /**
   * How long a write waits for the file's lock: {@value FileSsotStore#LOCK_WAIT_VARIABLE}
   * ({@code 500ms}, {@code 30s}, {@code 2m}) from the config's environment, else
   * {@link FileSsotStore#DEFAULT_LOCK_WAIT}.
   */
  static Duration lockWait(ProviderConfig config) {
    String value = config.environment().apply(FileSsotStore.LOCK_WAIT_VARIABLE);
    if (value == null || value.isBlank()) {
      return FileSsotStore.DEFAULT_LOCK_WAIT;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m)")
        .matcher(value.strip());
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new InvalidRequestException(FileSsotStore.LOCK_WAIT_VARIABLE + " must be a positive"
          + " duration such as 500ms, 30s or 2m, not " + kr.codeb.Checks.quote(value));
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      default -> Duration.ofMinutes(n);
    };
  }

  /** @throws InvalidRequestException unless the URI is {@code file:///absolute/path} */
  @Override
  public SsotStore create(ProviderConfig config) {
    URI uri = config.uri();
    String expected = ": expected file:///absolute/path/to/ssot.json";
    if (!"file".equals(config.scheme()) || uri.isOpaque() || uri.getPath() == null
        || uri.getPath().isEmpty()) {
      throw new InvalidRequestException("not a file SSOT URI " + uri + expected);
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new InvalidRequestException("a file SSOT URI takes no query or fragment: " + uri
          + expected);
    }
    String authority = uri.getAuthority();
    if (authority != null && !authority.isEmpty() && !"localhost".equalsIgnoreCase(authority)) {
      throw new InvalidRequestException("a file SSOT URI names no host (" + authority + "): "
          + uri + expected);
    }
    try {
      return FileSsotStore.open(Path.of(uri.getPath()), lockWait(config));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("not a usable file path in " + uri + expected, e);
    }
  }
}
