package kr.codeb.postgresql.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import kr.codeb.InvalidRequestException;

/**
 * The store's tables and their versions. The schema (default {@code codeb}) holds
 * {@code schema_version}: one row per migration applied, {@code max(version)} is the schema's
 * version. Migrations are numbered from 1, each a list of statements; they only ever add
 * (tables, columns, indexes), so an older CodeB is never broken by a row it does not know, and
 * it refuses a schema newer than {@link #CURRENT} rather than guess.
 *
 * <p>On each new connection: the version is read (no lock, nothing written). If it is
 * {@link #CURRENT} nothing else happens. If it is newer, the connection is refused with an
 * {@link InvalidRequestException} naming both versions, and nothing is written. If it is older
 * (or there is no schema yet), the missing migrations run in one transaction under an advisory
 * lock (taken before that transaction starts), so processes starting at once migrate once; each records its version.
 *
 * <p>Versions: 1, the whole document in {@code ssot_document} with its rows written from it on
 * every edit; 2, the rows are the registry's projects, ports and records (allocate and release
 * change only rows, see {@code RowEdits}) and the document is the base they are laid over.
 * 1 to 2 adds columns, tables, a sequence and two functions, then rewrites the rows from the
 * stored document, in the one migration transaction.
 *
 * <p>Upgrade path: a new CodeB with migration N+1 upgrades a database at version N the first
 * time it connects; CodeB of version N keeps working on N+1 only if N+1 says so (it does not:
 * the check refuses any newer schema), so upgrade every machine's CodeB before or together with
 * the first one that migrates. Never lower {@code schema_version} by hand.
 */
public final class Schema {
  /** The version of the schema this CodeB creates and reads. */
  public static final int CURRENT = 2;

  private Schema() {}

  /** The statements of migration {@code version} (1-based), for schema {@code s}. */
  static List<String> migration(int version, String s) {
    String q = "\"" + s + "\".";
    return switch (version) {
      case 1 -> List.of(
          // The whole SSOT document, byte for byte as the file store writes it: the only copy
          // that keeps every field CodeB does not model, and the key order.
          "CREATE TABLE " + q + "ssot_document (id smallint PRIMARY KEY CHECK (id = 1),"
              + " document bytea NOT NULL, revision text NOT NULL,"
              + " updated_at timestamptz NOT NULL DEFAULT now())",
          // ports.allocated as rows, kept equal to the document in the same transaction: the
          // primary key is the database's guarantee that no port is recorded twice.
          "CREATE TABLE " + q + "ssot_allocation (port integer PRIMARY KEY"
              + " CHECK (port BETWEEN 1 AND 65535), project text NOT NULL, slot text NOT NULL,"
              + " environment text)",
          // The projects' pairs as rows, for queries (who holds what where).
          "CREATE TABLE " + q + "ssot_project_port (project text NOT NULL,"
              + " environment text NOT NULL, blue integer NOT NULL, green integer NOT NULL,"
              + " PRIMARY KEY (project, environment))",
          "CREATE TABLE " + q + "audit_log (id bigserial PRIMARY KEY,"
              + " at timestamptz NOT NULL, actor text NOT NULL, command text NOT NULL,"
              + " provider text NOT NULL, target text NOT NULL, action text NOT NULL,"
              + " project text, before jsonb NOT NULL, after jsonb NOT NULL)",
          "CREATE INDEX audit_log_at ON " + q + "audit_log (at)",
          "CREATE INDEX audit_log_project ON " + q + "audit_log (project, id)",
          // The release store: one deploy lock per project and environment (the primary key
          // makes taking it atomic), and the append-only release history.
          "CREATE TABLE " + q + "deploy_lock (project text NOT NULL, environment text NOT NULL,"
              + " holder text NOT NULL, token text NOT NULL, acquired timestamptz NOT NULL,"
              + " expires timestamptz NOT NULL, PRIMARY KEY (project, environment))",
          "CREATE TABLE " + q + "release_history (id bigserial PRIMARY KEY,"
              + " project text NOT NULL, environment text NOT NULL, at timestamptz NOT NULL,"
              + " release text NOT NULL, actor text NOT NULL, image text NOT NULL,"
              + " slot text NOT NULL, port integer NOT NULL, container_port integer NOT NULL,"
              + " health_path text NOT NULL, env_file text, env_keys text[] NOT NULL,"
              + " env_hash text NOT NULL, outcome text NOT NULL, message text NOT NULL)",
          "CREATE INDEX release_history_key ON " + q + "release_history (project, environment, id)");
      // Version 2: the rows are the registry's projects, ports and allocation records, and
      // allocate and release are row operations (see RowEdits); the document row becomes the
      // base the registry is rebuilt on (ranges, unknown fields, key order). The rows are
      // filled from the version 1 document by the step after these statements.
      case 2 -> RowEdits.migration(s);
      default -> throw new IllegalArgumentException("no migration " + version);
    };
  }

  /** Checks, and creates or upgrades, the schema over a fresh connection (auto-commit on). */
  static void ensure(Connection c, ConnectionSettings settings) throws SQLException {
    String s = settings.schema();
    int found = version(c, s);
    if (found == CURRENT) {
      return;
    }
    refuseNewer(found, settings);
    // A session lock taken before the migration's transaction starts: that transaction then
    // reads the catalog as the previous migrator committed it (a lock taken inside it would
    // leave it with the catalog as it was before the wait).
    advisory(c, "SELECT pg_advisory_lock(hashtext(?))", s);
    try {
      c.setAutoCommit(false);
      try {
        migrate(c, settings, CURRENT);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } finally {
      advisory(c, "SELECT pg_advisory_unlock(hashtext(?))", s);
    }
  }

  /**
   * Creates the schema at {@code version} (at most {@link #CURRENT}) over a fresh connection:
   * for tests that upgrade a database an older CodeB made.
   */
  public static void createAt(Connection c, ConnectionSettings settings, int version)
      throws SQLException {
    c.setAutoCommit(false);
    try {
      migrate(c, settings, version);
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private static void advisory(Connection c, String sql, String s) throws SQLException {
    try (PreparedStatement lock = c.prepareStatement(sql)) {
      lock.setString(1, "codeb schema " + s);
      lock.execute();
    }
  }

  private static void migrate(Connection c, ConnectionSettings settings, int target)
      throws SQLException {
    String s = settings.schema();
    int now = version(c, s);
    refuseNewer(now, settings);
    try (Statement st = c.createStatement()) {
      if (now == 0) {
        st.execute("CREATE SCHEMA IF NOT EXISTS \"" + s + "\"");
        st.execute("CREATE TABLE IF NOT EXISTS \"" + s + "\".schema_version (version integer"
            + " PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now(),"
            + " applied_by text NOT NULL)");
      }
      for (int v = now + 1; v <= target; v++) {
        for (String sql : migration(v, s)) {
          st.execute(sql);
        }
        if (v == 2) {
          DocumentRows.rebuildRows(c, s);
        }
        try (PreparedStatement record = c.prepareStatement("INSERT INTO \"" + s
            + "\".schema_version (version, applied_by) VALUES (?, ?)")) {
          record.setInt(1, v);
          record.setString(2, "codeb");
          record.execute();
        }
      }
    }
  }

  /** The schema's version; 0 when there is no version table yet. */
  static int version(Connection c, String s) throws SQLException {
    try (PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?)")) {
      exists.setString(1, "\"" + s + "\".schema_version");
      try (ResultSet rs = exists.executeQuery()) {
        rs.next();
        if (rs.getString(1) == null) {
          return 0;
        }
      }
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM \"" + s
            + "\".schema_version")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static void refuseNewer(int found, ConnectionSettings settings) {
    if (found > CURRENT) {
      throw new InvalidRequestException("the CodeB schema in " + settings.display()
          + " is version " + found + ", newer than this CodeB knows (" + CURRENT + "):"
          + " upgrade CodeB on this machine; nothing was changed in the database");
    }
  }
}
