package kr.codeb.testkit;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderConfig;
import kr.codeb.ports.SsotStore;
import kr.codeb.ports.SsotStoreFactory;

/**
 * {@code mem:} opens a new, empty in-memory store; {@code mem:NAME} opens the store of that
 * name, shared by everyone in this JVM who opens the same name. An empty store must be filled
 * with {@link MemSsotStore#reset} before it can be read.
 */
public final class MemSsotStoreFactory implements SsotStoreFactory {
  private static final Map<String, MemSsotStore> NAMED = new ConcurrentHashMap<>();

  @Override
  public Set<String> schemes() {
    return Set.of("mem");
  }

  @Override
  public SsotStore create(ProviderConfig config) {
    String name = storeName(config);
    return name.isEmpty() ? MemSsotStore.empty("anonymous")
        : NAMED.computeIfAbsent(name, MemSsotStore::empty).reopen();
  }

  /** The NAME of {@code mem:NAME}, empty for {@code mem:}; checked. */
  static String storeName(ProviderConfig config) {
    String name = config.uri().getSchemeSpecificPart().replaceFirst("^/+", "");
    if (!name.isEmpty() && !name.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
      throw new InvalidRequestException("invalid mem: store name '" + name
          + "': use lowercase letters, digits, '.', '_', '-' (e.g. mem:demo)");
    }
    return name;
  }
}
