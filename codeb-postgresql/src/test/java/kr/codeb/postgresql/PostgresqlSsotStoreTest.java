package kr.codeb.postgresql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import kr.codeb.AuthException;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.ProviderRegistry;
import kr.codeb.audit.AuditContext;
import kr.codeb.audit.AuditEntry;
import kr.codeb.audit.AuditLog;
import kr.codeb.audit.AuditQuery;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.ProjectPorts;
import kr.codeb.ports.RegistryEdit;
import kr.codeb.ports.SsotStore;
import kr.codeb.ssot.FileSsotStore;
import kr.codeb.testkit.SeedData;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The postgresql store's own behaviour against the real server: URIs, schema, bytes, audit. */
class PostgresqlSsotStoreTest {
  private static final Environment PROD = Environment.of("production");
  private static TestDatabase database;

  @TempDir Path dir;

  @BeforeAll
  static void createDatabase() {
    database = TestDatabase.create("store");
  }

  @AfterAll
  static void dropDatabase() {
    if (database != null) {
      database.close();
    }
  }

  private static PostgresqlSsotStore seeded(String schema) {
    PostgresqlSsotStore store = PostgresqlSsotStore.open(database.config("schema=" + schema));
    assertTrue(store.importDocument(SeedData.ssotBytes(), false));
    return store;
  }

  @Test
  void aPasswordInTheUriIsRefusedWithoutRepeatingItAndNothingIsWritten() throws Exception {
    ProviderRegistry registry = ProviderRegistry.load(database.environment());
    String inUserInfo = "postgresql://" + database.user + ":Sekr1tPw@" + database.host + ":"
        + database.port + "/" + database.name + "?schema=pw1";
    String inQuery = database.uri("schema=pw2&password=Sekr1tPw");
    for (String uri : List.of(inUserInfo, inQuery)) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class,
          () -> registry.ssotStore(uri).read());
      assertTrue(e.getMessage().contains("password"), e.getMessage());
      assertFalse(e.getMessage().contains("Sekr1tPw"), e.getMessage());
    }
    assertFalse(schemaExists("pw1"));
    assertFalse(schemaExists("pw2"));
  }

  @Test
  void badUrisAreRefusedWithWhatIsAllowed() throws Exception {
    Map<String, String> refused = Map.of(
        database.uri("schema=bad1&sslmode=sometimes"), "sslmode 'sometimes' is not one of",
        database.uri("schema=bad2&pool=9"), "unknown parameter 'pool'",
        database.uri("schema=Bad-3"), "is not a plain lower-case name",
        "postgresql://" + database.host + ":" + database.port + "/" + database.name
            + "?schema=bad4", "no user",
        "postgresql://" + database.host + ":" + database.port + "/?user=codeb&schema=bad5",
            "no database",
        database.uri("schema=bad6&connect_timeout=0"), "is not 1-300 seconds");
    ProviderRegistry registry = ProviderRegistry.load(database.environment());
    for (Map.Entry<String, String> c : refused.entrySet()) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class,
          () -> registry.ssotStore(c.getKey()), c.getKey());
      assertTrue(e.getMessage().contains(c.getValue()), e.getMessage());
      assertTrue(e.getMessage().contains("expected postgresql://HOST"), e.getMessage());
    }
    for (String schema : List.of("bad1", "bad2", "bad3", "bad4", "bad5", "bad6")) {
      assertFalse(schemaExists(schema), schema);
    }
  }

  @Test
  void theFactoryIsFoundThroughTheProviderRegistry() {
    try (SsotStore store = ProviderRegistry.load(database.environment())
        .ssotStore(database.uri("schema=found"))) {
      assertInstanceOf(PostgresqlSsotStore.class, store);
      NotFoundException e = assertThrows(NotFoundException.class, store::read);
      assertTrue(e.getMessage().contains("we ssot migrate"), e.getMessage());
    }
  }

  @Test
  void aWrongPasswordIsAnAuthErrorThatDoesNotRepeatIt() {
    ProviderRegistry registry = ProviderRegistry.load(
        name -> name.equals("PGPASSWORD") ? "Wr0ngPassw0rd" : null);
    try (SsotStore store = registry.ssotStore(database.uri("schema=auth"))) {
      AuthException e = assertThrows(AuthException.class, store::read);
      assertTrue(e.getMessage().contains("refused the login of user " + database.user),
          e.getMessage());
      assertFalse(e.getMessage().contains("Wr0ngPassw0rd"), e.getMessage());
    }
    try (SsotStore store = ProviderRegistry.load(name -> null)
        .ssotStore(database.uri("schema=auth"))) {
      AuthException e = assertThrows(AuthException.class, store::read);
      assertTrue(e.getMessage().contains("set CODEB_POSTGRESQL_PASSWORD or PGPASSWORD"),
          e.getMessage());
    }
  }

  @Test
  void theSchemaIsCreatedWithItsVersionAndANewerOneIsRefusedWithNothingWritten()
      throws Exception {
    try (PostgresqlSsotStore store = seeded("newer")) {
      store.apply(RegistryEdit.Allocate.of(ProjectName.of("before-upgrade"), PROD));
    }
    assertEquals(List.of("1", "2"),
        column("SELECT version FROM newer.schema_version ORDER BY version"));
    byte[] document = document("newer");
    String audit = column("SELECT count(*) FROM newer.audit_log").get(0);
    database.execute("INSERT INTO newer.schema_version (version, applied_by) VALUES (3,"
        + " 'a newer CodeB')");
    try (PostgresqlSsotStore store = PostgresqlSsotStore.open(database.config("schema=newer"))) {
      InvalidRequestException read = assertThrows(InvalidRequestException.class, store::read);
      assertTrue(read.getMessage().contains("is version 3, newer than this CodeB knows (2)"),
          read.getMessage());
      InvalidRequestException edit = assertThrows(InvalidRequestException.class,
          () -> store.apply(RegistryEdit.Allocate.of(ProjectName.of("after"), PROD)));
      assertTrue(edit.getMessage().contains("upgrade CodeB"), edit.getMessage());
      assertThrows(InvalidRequestException.class,
          () -> store.importDocument(SeedData.ssotBytes(), true));
    }
    assertArrayEquals(document, document("newer"));
    assertEquals(audit, column("SELECT count(*) FROM newer.audit_log").get(0));
  }

  /** The same edits on the file store and on this one give the same bytes. */
  @Test
  void theDocumentIsKeptByteForByteAsTheFileStoreKeepsIt() throws Exception {
    Path file = SeedData.copySsotTo(dir);
    try (PostgresqlSsotStore pg = seeded("bytes"); FileSsotStore fs = FileSsotStore.open(file)) {
      assertArrayEquals(SeedData.ssotBytes(), pg.exportDocument());
      assertEquals(fs.read().revision(), pg.read().revision());
      for (SsotStore store : List.<SsotStore>of(pg, fs)) {
        store.apply(RegistryEdit.Allocate.of(ProjectName.of("acme"), PROD));
        store.apply(RegistryEdit.Allocate.of(ProjectName.of("beta"), PROD));
        store.apply(new RegistryEdit.Release(ProjectName.of("acme"), PROD));
        store.apply(new RegistryEdit.Repair(true));
      }
      assertArrayEquals(Files.readAllBytes(file), pg.exportDocument());
      assertEquals(fs.read().revision(), pg.read().revision());
      assertEquals(fs.read().allocations().size(),
          Integer.parseInt(column("SELECT count(*) FROM bytes.ssot_allocation").get(0)));
    }
  }

  @Test
  void theDatabaseRefusesAPortRecordedTwiceAndTheEditWritesNothing() throws Exception {
    try (PostgresqlSsotStore store = seeded("uniq")) {
      RegistryEdit.Allocate next = RegistryEdit.Allocate.of(ProjectName.of("acme"), PROD);
      int blue = next.apply(store.read()).outcome().ports().blue();
      // A writer that skipped CodeB's code and its locks: it records the port the allocation
      // is about to take, in a transaction still open while the allocation runs.
      try (Connection intruder = database.connect()) {
        intruder.setAutoCommit(false);
        try (Statement st = intruder.createStatement()) {
          st.execute("INSERT INTO uniq.ssot_allocation (port, project, slot) VALUES (" + blue
              + ", 'intruder', 'blue')");
        }
        java.util.concurrent.CompletableFuture<ProjectPorts> allocation =
            java.util.concurrent.CompletableFuture.supplyAsync(() -> store.apply(next));
        Thread.sleep(500); // the allocation's insert now waits on the intruder's key
        assertFalse(allocation.isDone());
        intruder.commit();
        // The key refused the second record: the allocation failed and was run again, on the
        // rows that now hold the intruder's.
        ProjectPorts ports = allocation.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(ports.created());
        assertTrue(ports.ports().blue() != blue && ports.ports().green() != blue, ports.toString());
      }
      assertEquals(List.of("intruder"),
          column("SELECT project FROM uniq.ssot_allocation WHERE port = " + blue));
      assertEquals(List.of("1"), column("SELECT count(*) FROM uniq.audit_log"
          + " WHERE action = 'allocate'"));
      // And a second record of a port, however written, is refused by the database itself.
      IllegalStateException twice = assertThrows(IllegalStateException.class,
          () -> database.execute("INSERT INTO uniq.ssot_allocation (port, project, slot)"
              + " VALUES (" + blue + ", 'another', 'green')"));
      assertTrue(twice.getMessage().contains("ssot_allocation_pkey"), twice.getMessage());
    }
  }

  @Test
  void everyEditThatChangesTheRegistryIsAuditedInItsTransaction() {
    try (PostgresqlSsotStore store = seeded("audited")) {
      ProjectPorts ports = AuditContext.callAs(new AuditContext("tester@ci", "we ssot allocate"),
          () -> store.apply(RegistryEdit.Allocate.of(ProjectName.of("acme"), PROD)));
      store.apply(RegistryEdit.Allocate.of(ProjectName.of("acme"), PROD)); // held: no entry
      store.apply(new RegistryEdit.Release(ProjectName.of("acme"), PROD));
      store.apply(new RegistryEdit.Release(ProjectName.of("acme"), PROD)); // nothing: no entry
      try (AuditLog log = ProviderRegistry.load(database.environment())
          .auditLog(database.uri("schema=audited"))) {
        List<AuditEntry> all = log.read(AuditQuery.all());
        assertEquals(List.of("import", "allocate", "release"),
            all.stream().map(AuditEntry::action).toList());
        AuditEntry allocate = all.get(1);
        assertEquals("tester@ci", allocate.actor());
        assertEquals("we ssot allocate", allocate.command());
        assertEquals("postgresql", allocate.provider());
        assertEquals("ssot:project/acme/production", allocate.target());
        assertEquals("null", allocate.before());
        assertEquals("{\"blue\": " + ports.ports().blue() + ", \"green\": "
            + ports.ports().green() + "}", allocate.after());
        assertEquals(allocate.after(), all.get(2).before());
        assertEquals("null", all.get(2).after());
        assertEquals(2, log.read(new AuditQuery(java.util.Optional.empty(),
            java.util.Optional.of(ProjectName.of("acme")), 10)).size());
      }
    }
  }

  @Test
  void sslmodeVerifyFullConnectsOverTls() throws Exception {
    String ca = TestEngines.require("CODEB_TEST_POSTGRESQL_CA");
    try (PostgresqlSsotStore store = PostgresqlSsotStore.open(
        database.config("schema=tls&sslmode=verify-full&sslrootcert=" + ca))) {
      assertThrows(NotFoundException.class, store::read); // connected, schema made, no registry
      assertEquals(List.of("t"), column("SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity"
          + " a USING (pid) WHERE a.application_name = 'codeb' AND a.datname = current_database()"));
    }
  }

  private static boolean schemaExists(String schema) throws SQLException {
    return !column("SELECT nspname FROM pg_namespace WHERE nspname = '" + schema + "'").isEmpty();
  }

  private static byte[] document(String schema) throws SQLException {
    try (Connection c = database.connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT document FROM " + schema + ".ssot_document")) {
      rs.next();
      return rs.getBytes(1);
    }
  }

  private static List<String> column(String sql) throws SQLException {
    try (Connection c = database.connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      List<String> values = new java.util.ArrayList<>();
      while (rs.next()) {
        values.add(rs.getString(1));
      }
      return values;
    }
  }
}
