package kr.codeb.postgresql;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import kr.codeb.deploy.ReleaseStore;
import kr.codeb.tck.ReleaseStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The postgresql release store passes the release store contract against the real server: a
 * schema of its own per store; a reopened handle is a second store with its own connection.
 */
class PostgresqlReleaseStoreContractTest extends ReleaseStoreContract {
  private static TestDatabase database;
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private final Map<ReleaseStore, String> schemas = new IdentityHashMap<>();

  @BeforeAll
  static void createDatabase() {
    database = TestDatabase.create("releases");
  }

  @AfterAll
  static void dropDatabase() {
    if (database != null) {
      database.close();
    }
  }

  @Override
  protected ReleaseStore newStore() {
    return open("r" + SCHEMAS.incrementAndGet());
  }

  @Override
  protected ReleaseStore reopen(ReleaseStore store) {
    return open(schemas.get(store));
  }

  private ReleaseStore open(String schema) {
    ReleaseStore store = PostgresqlReleaseStore.open(database.config("schema=" + schema));
    schemas.put(store, schema);
    return store;
  }
}
