package kr.codeb.testkit;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicInteger;
import kr.codeb.ProviderRegistry;
import kr.codeb.deploy.ReleaseStore;
import kr.codeb.tck.ReleaseStoreContract;
import org.junit.jupiter.api.Test;

/** The in-memory release store, opened through the registry as {@code mem:NAME}. */
class MemReleaseStoreContractTest extends ReleaseStoreContract {
  private static final AtomicInteger NAMES = new AtomicInteger();
  private final ProviderRegistry registry = ProviderRegistry.load();

  @Override
  protected ReleaseStore newStore() {
    return registry.releaseStore("mem:release-contract-" + NAMES.incrementAndGet());
  }

  @Override
  protected ReleaseStore reopen(ReleaseStore store) {
    return store;
  }

  @Test
  void aNamedStoreIsSharedAndAnAnonymousOneIsNot() {
    assertSame(registry.releaseStore("mem:shared-releases"),
        registry.releaseStore("mem:shared-releases"));
    assertNotSame(registry.releaseStore("mem:"), registry.releaseStore("mem:"));
  }
}
