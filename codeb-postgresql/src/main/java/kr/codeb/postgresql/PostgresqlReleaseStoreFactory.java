package kr.codeb.postgresql;

import java.util.Set;
import kr.codeb.ProviderConfig;
import kr.codeb.deploy.ReleaseStore;
import kr.codeb.deploy.ReleaseStoreFactory;

/** {@code postgresql://...}: the release store in the database of that SSOT. */
public final class PostgresqlReleaseStoreFactory implements ReleaseStoreFactory {
  @Override
  public Set<String> schemes() {
    return Set.of("postgresql");
  }

  @Override
  public ReleaseStore create(ProviderConfig config) {
    return PostgresqlReleaseStore.open(config);
  }
}
