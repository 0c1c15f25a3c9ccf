package kr.codeb.ssothttp;

import java.util.Set;
import kr.codeb.ProviderConfig;
import kr.codeb.ports.SsotStore;
import kr.codeb.ports.SsotStoreFactory;

/**
 * Builds an {@link HttpSsotStore} from {@code http://} and {@code https://} URIs. Checks the
 * URI; opens no connection (the first read or edit does).
 */
public final class HttpSsotStoreFactory implements SsotStoreFactory {
  @Override
  public Set<String> schemes() {
    return Set.of("http", "https");
  }

  @Override
  public SsotStore create(ProviderConfig config) {
    return HttpSsotStore.open(config);
  }
}
