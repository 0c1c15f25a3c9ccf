package kr.codeb.postgresql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.Allocation;
import kr.codeb.ports.ProjectPorts;
import kr.codeb.ports.Registry;
import kr.codeb.ports.RegistryEdit;
import kr.codeb.postgresql.internal.ConnectionSettings;
import kr.codeb.postgresql.internal.Schema;
import kr.codeb.ssot.SsotDocument;
import kr.codeb.testkit.SeedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A database that the previous CodeB (schema version 1: the document with its rows written from
 * it on every edit) made is upgraded to version 2 on the first connection, keeping the document
 * byte for byte, its unknown fields and the audit log; and the rows of version 2 lay allocations
 * and releases over it the way the file store writes them.
 */
class PostgresqlSchemaUpgradeTest {
  private static final Environment PROD = Environment.of("production");
  private static TestDatabase database;

  @BeforeAll
  static void createDatabase() {
    database = TestDatabase.create("upgrade");
  }

  @AfterAll
  static void dropDatabase() {
    if (database != null) {
      database.close();
    }
  }

  /** The seed with unknown fields on the document, a project and a record. */
  private static byte[] documentWithUnknownFields() {
    Registry seed = SsotDocument.parse(SeedData.ssotBytes(), "seed").registry();
    ProjectName first = seed.projects().keySet().iterator().next();
    // The last record: not one of the first project, whose records the test releases.
    int port = List.copyOf(seed.allocations().keySet()).get(seed.allocations().size() - 1);
    Allocation record = seed.allocations().get(port);
    Registry marked = seed.withExtensions(Map.of("owner", "ops"))
        .withProject(new kr.codeb.ports.ProjectEntry(first, seed.projects().get(first).ports(),
            Map.of("team", "web")))
        .withAllocation(new Allocation(port, record.project(), record.slot(),
            record.environment(), Map.of("note", "kept")));
    return SsotDocument.parse(SeedData.ssotBytes(), "seed").with(marked).bytes();
  }

  @Test
  void aVersionOneDatabaseIsUpgradedInPlaceAndKeepsItsDocument() throws Exception {
    byte[] document = documentWithUnknownFields();
    Registry registry = SsotDocument.parse(document, "doc").registry();
    ConnectionSettings settings = ConnectionSettings.from(database.config("schema=old"));
    try (Connection c = settings.connect()) {
      Schema.createAt(c, settings, 1);
      // What version 1 wrote: the document, its records as rows, an audit entry.
      try (PreparedStatement st = c.prepareStatement("INSERT INTO old.ssot_document (id,"
          + " document, revision) VALUES (1, ?, ?)")) {
        st.setBytes(1, document);
        st.setString(2, SsotDocument.revisionOf(document).value());
        st.execute();
      }
      try (PreparedStatement st = c.prepareStatement("INSERT INTO old.ssot_allocation (port,"
          + " project, slot, environment) VALUES (?, ?, ?, ?)")) {
        for (Allocation a : registry.allocations().values()) {
          st.setInt(1, a.port());
          st.setString(2, a.project().value());
          st.setString(3, a.slot().id());
          st.setString(4, a.environment().map(Environment::name).orElse(null));
          st.addBatch();
        }
        st.executeBatch();
      }
      try (Statement st = c.createStatement()) {
        st.execute("INSERT INTO old.audit_log (at, actor, command, provider, target, action,"
            + " before, after) VALUES (now(), 'v1', 'we ssot migrate', 'postgresql',"
            + " 'ssot:document', 'import', 'null', '{}')");
      }
    }
    assertEquals(List.of("1"), column("SELECT version FROM old.schema_version"));

    try (PostgresqlSsotStore store = PostgresqlSsotStore.open(database.config("schema=old"))) {
      assertArrayEquals(document, store.exportDocument());
      assertEquals(SsotDocument.revisionOf(document), store.read().revision());
      assertEquals(List.of("1", "2"),
          column("SELECT version FROM old.schema_version ORDER BY version"));
      assertEquals(List.of(String.valueOf(registry.allocations().size())),
          column("SELECT count(*) FROM old.ssot_allocation WHERE from_base"));
      assertEquals(List.of(String.valueOf(registry.projects().size())),
          column("SELECT count(*) FROM old.ssot_project"));
      assertEquals(List.of("1"), column("SELECT count(*) FROM old.audit_log"));

      // Edits on the rows, and the document they give, beside the same edits on a copy of
      // the document in memory (what the file store writes).
      ProjectName first = registry.projects().keySet().iterator().next();
      List<RegistryEdit<?>> edits = List.of(
          RegistryEdit.Allocate.of(ProjectName.of("acme"), PROD),
          RegistryEdit.Allocate.of(ProjectName.of("beta"), PROD),
          new RegistryEdit.Release(ProjectName.of("acme"), PROD),
          RegistryEdit.Allocate.of(ProjectName.of("acme"), PROD),
          new RegistryEdit.Release(first, registry.projects().get(first).ports().keySet()
              .iterator().next()));
      SsotDocument expected = SsotDocument.parse(document, "doc");
      for (RegistryEdit<?> edit : edits) {
        Object outcome = store.apply(edit);
        RegistryEdit.Applied<?> applied = edit.apply(expected.registry());
        assertEquals(applied.outcome(), outcome, edit.toString());
        expected = expected.with(applied.registry());
      }
      assertEquals(new String(expected.bytes(), StandardCharsets.UTF_8),
          new String(store.exportDocument(), StandardCharsets.UTF_8));
      assertEquals(expected.revision(), store.read().revision());
      String text = new String(store.exportDocument(), StandardCharsets.UTF_8);
      assertTrue(text.contains("\"owner\"") && text.contains("\"team\"")
          && text.contains("\"note\""), text);
      // The released project keeps its entry: it has an unknown field.
      assertTrue(store.read().project(first).isPresent());
      assertEquals(List.of("0"), column("SELECT count(*) FROM old.ssot_document"
          + " WHERE revision <> '" + SsotDocument.revisionOf(document).value() + "'"));

      // A repair is an edit of the whole document: it writes the base again, with the rows.
      assertTrue(store.apply(new RegistryEdit.Repair(true)).written());
      RegistryEdit.Applied<?> repaired = new RegistryEdit.Repair(true).apply(expected.registry());
      expected = expected.with(repaired.registry());
      assertArrayEquals(expected.bytes(), store.exportDocument());
      assertEquals(List.of("0"), column("SELECT count(*) FROM old.ssot_allocation"
          + " WHERE NOT from_base"));
      ProjectPorts again = store.apply(RegistryEdit.Allocate.of(ProjectName.of("gamma"), PROD));
      assertTrue(again.created());
      assertFalse(store.read().ports(ProjectName.of("gamma"), PROD).isEmpty());
    }
    // A second store (a second process) sees version 2 and migrates nothing.
    try (PostgresqlSsotStore store = PostgresqlSsotStore.open(database.config("schema=old"))) {
      assertTrue(store.read().ports(ProjectName.of("gamma"), PROD).isPresent());
      assertEquals(List.of("1", "2"),
          column("SELECT version FROM old.schema_version ORDER BY version"));
    }
  }

  private static List<String> column(String sql) throws Exception {
    try (Connection c = database.connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (rs.next()) {
        values.add(rs.getString(1));
      }
      return values;
    }
  }
}
