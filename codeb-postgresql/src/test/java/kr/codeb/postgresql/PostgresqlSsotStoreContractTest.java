package kr.codeb.postgresql;

import java.util.concurrent.atomic.AtomicInteger;
import kr.codeb.ports.Registry;
import kr.codeb.ports.SsotStore;
import kr.codeb.ssot.SsotDocument;
import kr.codeb.tck.SsotStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The postgresql store passes the SSOT store contract against the real server: each store gets
 * a schema of its own in one database; a reopened handle is a second store with its own
 * connection, as another process would have.
 */
class PostgresqlSsotStoreContractTest extends SsotStoreContract {
  private static TestDatabase database;
  private static final AtomicInteger SCHEMAS = new AtomicInteger();

  @BeforeAll
  static void createDatabase() {
    database = TestDatabase.create("contract");
  }

  @AfterAll
  static void dropDatabase() {
    if (database != null) {
      database.close();
    }
  }

  @Override
  protected SsotStore newStore(Registry initial) {
    PostgresqlSsotStore store =
        PostgresqlSsotStore.open(database.config("schema=s" + SCHEMAS.incrementAndGet()));
    store.importDocument(SsotDocument.of(initial, "initial").bytes(), false);
    return store;
  }

  @Override
  protected SsotStore reopen(SsotStore store) {
    String uri = store.info().location();
    String schema = uri.contains("&schema=") ? uri.substring(uri.indexOf("&schema=") + 8) : "";
    return PostgresqlSsotStore.open(database.config("schema=" + schema));
  }
}
