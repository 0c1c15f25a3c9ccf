package kr.codeb.postgresql;

import java.util.Set;
import kr.codeb.ProviderConfig;
import kr.codeb.ports.SsotStore;
import kr.codeb.ports.SsotStoreFactory;

/**
 * Builds a {@link PostgresqlSsotStore} from {@code postgresql://HOST[:PORT]/DATABASE?user=NAME}.
 * Checks the URI; opens no connection (the first read or edit does).
 */
public final class PostgresqlSsotStoreFactory implements SsotStoreFactory {
  @Override
  public Set<String> schemes() {
    return Set.of("postgresql");
  }

  @Override
  public SsotStore create(ProviderConfig config) {
    return PostgresqlSsotStore.open(config);
  }
}
