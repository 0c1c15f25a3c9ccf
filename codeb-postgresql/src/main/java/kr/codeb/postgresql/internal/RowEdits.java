package kr.codeb.postgresql.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kr.codeb.audit.AuditContext;
import kr.codeb.ports.ProjectPorts;
import kr.codeb.ports.RegistryEdit;
import kr.codeb.ports.SlotPorts;

/**
 * Allocate and release as row operations: each is one call of a function of the schema, one
 * statement and one short transaction, committed on its own (auto-commit), that changes only the
 * rows of one project and appends its audit row. No document is read, decoded or written.
 *
 * <p>Why it is safe across processes and servers:
 * <ul>
 *   <li>Both take the registry lock ({@code pg_advisory_xact_lock_shared}) <em>shared</em>: they
 *       run side by side, while an edit of the whole document (repair, import) takes it
 *       exclusively and so sees no half of one.
 *   <li>Both take a lock per project, so two calls for one project take turns.
 *   <li>An allocation reads the lowest free pairs of the range, then takes a lock per port of a
 *       candidate with {@code pg_try_advisory_xact_lock} (one that another allocation holds is
 *       skipped, not waited for) and checks again, with a new snapshot, that neither port is
 *       mentioned: an allocation that committed them in between is seen, one that has not
 *       committed holds their lock. Only then it inserts.
 *   <li>Whatever the code does, the primary key of {@code ssot_allocation} refuses a port
 *       recorded twice: the insert fails and nothing of the call is written.
 * </ul>
 * "Lowest free pair" holds for calls one after the other; calls at the same moment get the
 * lowest pairs that no other of them is taking.
 *
 * <p>A call whose environment is {@code system} or not in the ranges, or that finds no pair it
 * can take, answers {@link Outcome#DOCUMENT}: the caller then applies the edit to the whole
 * document, which gives the exact error (or, after a burst of calls, the pair).
 */
public final class RowEdits {
  private RowEdits() {}

  /** What a call did. */
  public enum Outcome { CREATED, HELD, RELEASED, NONE, DOCUMENT }

  /** A call's outcome and the pair it created, held or released. */
  public record Result(Outcome outcome, Optional<SlotPorts> ports) {}

  /** The statements of schema migration 2 for schema {@code s}. */
  static List<String> migration(String s) {
    String q = "\"" + s + "\".";
    String seq = q + "ssot_ord";
    String next = "nextval('" + seq.replace("'", "''") + "')";
    String registryLock = "pg_advisory_xact_lock_shared(hashtext('codeb ssot " + s + "'))";
    String projectLock = "pg_advisory_xact_lock(hashtext('codeb project " + s + "'),"
        + " hashtext(p_project))";
    String portKey = "hashtext('codeb port " + s + "')";
    String mentioned = "(SELECT port AS p FROM " + q + "ssot_allocation"
        + " UNION ALL SELECT mb.blue FROM " + q + "ssot_project_port mb"
        + " UNION ALL SELECT mg.green FROM " + q + "ssot_project_port mg"
        + " UNION ALL SELECT unnest(p_in_use))";
    String audit = "INSERT INTO " + q + "audit_log (at, actor, command, provider, target,"
        + " action, project, before, after) VALUES (p_at, p_actor, p_command, p_provider,"
        + " 'ssot:project/' || p_project || '/' || p_env, ";
    return List.of(
        // Insertion order of the rows: the document lists new projects, ports and records
        // last, as the file store appends them. Rows written from a whole document get
        // negative numbers in its order (below every number the sequence gives).
        "CREATE SEQUENCE " + seq,
        "ALTER TABLE " + q + "ssot_allocation ADD COLUMN ord bigint NOT NULL DEFAULT " + next
            + ", ADD COLUMN from_base boolean NOT NULL DEFAULT false",
        "ALTER TABLE " + q + "ssot_project_port ADD COLUMN ord bigint NOT NULL DEFAULT " + next
            + ", ADD COLUMN from_base boolean NOT NULL DEFAULT false",
        // One row per project entry (an entry may outlive its ports when it has unknown
        // fields: keep).
        "CREATE TABLE " + q + "ssot_project (project text PRIMARY KEY,"
            + " ord bigint NOT NULL DEFAULT " + next + ","
            + " from_base boolean NOT NULL DEFAULT false, keep boolean NOT NULL DEFAULT false)",
        "CREATE TABLE " + q + "ssot_range (environment text PRIMARY KEY,"
            + " first_port integer NOT NULL, last_port integer NOT NULL)",
        // What the base document holds, to tell whether any row changed since it was written.
        "ALTER TABLE " + q + "ssot_document ADD COLUMN base_projects integer NOT NULL DEFAULT 0,"
            + " ADD COLUMN base_project_ports integer NOT NULL DEFAULT 0,"
            + " ADD COLUMN base_allocations integer NOT NULL DEFAULT 0",
        "CREATE FUNCTION " + q + "codeb_allocate(p_project text, p_env text,"
            + " p_in_use integer[], p_at timestamptz, p_actor text, p_command text,"
            + " p_provider text, OUT outcome text, OUT blue integer, OUT green integer)"
            // Plans made once per session: planning the candidate query on every call cost
            // more than running it.
            + " LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $fn$\n"
            + "DECLARE lo integer; hi integer; c integer; tries integer := 0;\n"
            + "BEGIN\n"
            + "  PERFORM " + registryLock + ";\n"
            + "  SELECT r.first_port, r.last_port INTO lo, hi FROM " + q + "ssot_range r"
            + " WHERE r.environment = p_env;\n"
            + "  IF NOT FOUND OR p_env = 'system' THEN outcome := 'document'; RETURN; END IF;\n"
            + "  PERFORM " + projectLock + ";\n"
            + "  SELECT pp.blue, pp.green INTO blue, green FROM " + q + "ssot_project_port pp"
            + " WHERE pp.project = p_project AND pp.environment = p_env;\n"
            + "  IF FOUND THEN outcome := 'held'; RETURN; END IF;\n"
            + "  WHILE tries < 20 LOOP\n"
            + "    tries := tries + 1;\n"
            // The lowest free pairs: after each mentioned port in the range (and before the
            // range's start) a gap runs to the next one; its first 16 blues are candidates (a
            // pair needs blue and blue + 1 free, blue < end).
            + "    FOR c IN SELECT x FROM (SELECT u.p, lead(u.p) OVER (ORDER BY u.p) AS nxt"
            + " FROM (SELECT lo - 1 AS p UNION SELECT m.p FROM " + mentioned + " m(p)"
            + " WHERE m.p BETWEEN lo AND hi) u) s, generate_series(s.p + 1,"
            + " LEAST(coalesce(s.nxt, hi + 1) - 2, s.p + 16)) x ORDER BY x LIMIT 64 LOOP\n"
            // Under the ports' locks, with a new snapshot: still not mentioned? (the ports in
            // use outside the SSOT were excluded above and do not change during the call)
            // (One step after the other: the check must not run before the locks are held.)
            + "      IF pg_try_advisory_xact_lock(" + portKey + ", c) THEN\n"
            + "      IF pg_try_advisory_xact_lock(" + portKey + ", c + 1) THEN\n"
            + "      IF NOT EXISTS (SELECT 1 FROM " + q + "ssot_allocation a"
            + " WHERE a.port IN (c, c + 1))"
            + " AND NOT EXISTS (SELECT 1 FROM " + q + "ssot_project_port pp"
            + " WHERE pp.blue IN (c, c + 1) OR pp.green IN (c, c + 1)) THEN\n"
            + "        INSERT INTO " + q + "ssot_project (project) VALUES (p_project)"
            + " ON CONFLICT (project) DO NOTHING;\n"
            + "        INSERT INTO " + q + "ssot_project_port (project, environment, blue, green)"
            + " VALUES (p_project, p_env, c, c + 1);\n"
            + "        INSERT INTO " + q + "ssot_allocation (port, project, slot, environment)"
            + " VALUES (c, p_project, 'blue', p_env);\n"
            + "        INSERT INTO " + q + "ssot_allocation (port, project, slot, environment)"
            + " VALUES (c + 1, p_project, 'green', p_env);\n"
            + "        " + audit + "'allocate', p_project, 'null'::jsonb,"
            + " jsonb_build_object('blue', c, 'green', c + 1));\n"
            + "        outcome := 'created'; blue := c; green := c + 1; RETURN;\n"
            + "      END IF; END IF; END IF;\n"
            + "    END LOOP;\n"
            + "  END LOOP;\n"
            + "  outcome := 'document';\n"
            + "END $fn$",
        "CREATE FUNCTION " + q + "codeb_release(p_project text, p_env text, p_at timestamptz,"
            + " p_actor text, p_command text, p_provider text, OUT outcome text,"
            + " OUT blue integer, OUT green integer) LANGUAGE plpgsql AS $fn$\n"
            + "BEGIN\n"
            + "  PERFORM " + registryLock + ";\n"
            + "  IF p_env = 'system' OR NOT EXISTS (SELECT 1 FROM " + q + "ssot_range r"
            + " WHERE r.environment = p_env) THEN outcome := 'document'; RETURN; END IF;\n"
            + "  PERFORM " + projectLock + ";\n"
            + "  DELETE FROM " + q + "ssot_project_port pp WHERE pp.project = p_project"
            + " AND pp.environment = p_env RETURNING pp.blue, pp.green INTO blue, green;\n"
            + "  IF NOT FOUND THEN outcome := 'none'; RETURN; END IF;\n"
            // Records of other projects on these ports are left alone, as the edit does.
            + "  DELETE FROM " + q + "ssot_allocation a WHERE a.port IN (blue, green)"
            + " AND a.project = p_project;\n"
            + "  DELETE FROM " + q + "ssot_project p WHERE p.project = p_project AND NOT p.keep"
            + " AND NOT EXISTS (SELECT 1 FROM " + q + "ssot_project_port pp"
            + " WHERE pp.project = p_project);\n"
            + "  " + audit + "'release', p_project, jsonb_build_object('blue', blue,"
            + " 'green', green), 'null'::jsonb);\n"
            + "  outcome := 'released';\n"
            + "END $fn$");
  }

  /** The lock an edit of the whole document takes exclusively (row edits take it shared). */
  static void lockRegistry(Connection c, String s) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
      st.setString(1, "codeb ssot " + s);
      st.execute();
    }
  }

  /** Allocates on the rows, in auto-commit mode (the call is its own transaction). */
  public static Result allocate(Connection c, String s, RegistryEdit.Allocate edit,
      String provider, Instant at, AuditContext context) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT outcome, blue, green FROM \"" + s
        + "\".codeb_allocate(?, ?, ?, ?, ?, ?, ?)")) {
      st.setString(1, edit.project().value());
      st.setString(2, edit.environment().name());
      st.setArray(3, c.createArrayOf("integer", edit.portsInUse().toArray()));
      bindAudit(st, 4, provider, at, context);
      return result(st);
    }
  }

  /** Releases on the rows, in auto-commit mode (the call is its own transaction). */
  public static Result release(Connection c, String s, RegistryEdit.Release edit,
      String provider, Instant at, AuditContext context) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT outcome, blue, green FROM \"" + s
        + "\".codeb_release(?, ?, ?, ?, ?, ?)")) {
      st.setString(1, edit.project().value());
      st.setString(2, edit.environment().name());
      bindAudit(st, 3, provider, at, context);
      return result(st);
    }
  }

  /** The outcome of {@link #allocate} as the edit's outcome. */
  public static ProjectPorts ports(RegistryEdit.Allocate edit, Result result) {
    return new ProjectPorts(edit.project(), edit.environment(), result.ports().orElseThrow(),
        result.outcome() == Outcome.CREATED);
  }

  private static void bindAudit(PreparedStatement st, int first, String provider, Instant at,
      AuditContext context) throws SQLException {
    st.setTimestamp(first, Timestamp.from(at));
    st.setString(first + 1, context.actor());
    st.setString(first + 2, context.command());
    st.setString(first + 3, provider);
  }

  private static Result result(PreparedStatement st) throws SQLException {
    try (ResultSet rs = st.executeQuery()) {
      rs.next();
      Outcome outcome = Outcome.valueOf(rs.getString(1).toUpperCase(java.util.Locale.ROOT));
      int blue = rs.getInt(2);
      boolean hasPorts = !rs.wasNull();
      Optional<SlotPorts> ports = hasPorts
          ? Optional.of(new SlotPorts(blue, rs.getInt(3))) : Optional.empty();
      return new Result(outcome, ports);
    }
  }
}
