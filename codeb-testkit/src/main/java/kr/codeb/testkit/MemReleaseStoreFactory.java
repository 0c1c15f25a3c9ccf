package kr.codeb.testkit;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kr.codeb.ProviderConfig;
import kr.codeb.deploy.ReleaseStore;
import kr.codeb.deploy.ReleaseStoreFactory;

/**
 * The release store of a {@code mem:} SSOT: {@code mem:} gets a new, empty one; {@code mem:NAME}
 * the one of that name, shared in this JVM like the SSOT of that name.
 */
public final class MemReleaseStoreFactory implements ReleaseStoreFactory {
  private static final Map<String, MemReleaseStore> NAMED = new ConcurrentHashMap<>();

  @Override
  public Set<String> schemes() {
    return Set.of("mem");
  }

  @Override
  public ReleaseStore create(ProviderConfig config) {
    String name = MemSsotStoreFactory.storeName(config);
    return name.isEmpty() ? new MemReleaseStore() : NAMED.computeIfAbsent(name, n -> new MemReleaseStore());
  }
}
