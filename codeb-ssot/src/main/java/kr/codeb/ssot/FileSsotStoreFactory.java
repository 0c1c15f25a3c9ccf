package kr.codeb.ssot;

import java.net.URI;
import java.nio.file.Path;
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
      return FileSsotStore.open(Path.of(uri.getPath()));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("not a usable file path in " + uri + expected, e);
    }
  }
}
