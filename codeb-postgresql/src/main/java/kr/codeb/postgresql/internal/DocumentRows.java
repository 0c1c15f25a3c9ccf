package kr.codeb.postgresql.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Function;
import kr.codeb.ports.Registry;
import kr.codeb.ssot.SsotDocument;

/**
 * The stored registry: the {@code ssot_document} row (the base document, byte for byte as the
 * file store writes it, with every field CodeB does not model and the key order) and the rows
 * of {@link RegistryRows}, which hold the projects' ports and the allocation records since.
 *
 * <p>The current document is the base patched with the rows, in two steps so that the key
 * order is the file store's: first with what is left of the base (its rows that remain), then
 * with every row (those added since go last, in the order they were added). While no row
 * changed since the base was written, the current document is the base's bytes exactly.
 */
public final class DocumentRows {
  private DocumentRows() {}

  /** The base document's bytes and what it held, with the rows (one consistent read). */
  public record Stored(byte[] base, int projects, int projectPorts, int allocations,
      RegistryRows.Rows rows) {}

  /** The stored registry, if there is one. Call inside one snapshot or under the lock. */
  public static Optional<Stored> load(Connection c, String s) throws SQLException {
    byte[] base;
    int projects;
    int ports;
    int allocations;
    try (PreparedStatement st = c.prepareStatement("SELECT document, base_projects,"
        + " base_project_ports, base_allocations FROM \"" + s + "\".ssot_document WHERE id = 1");
        ResultSet rs = st.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      base = rs.getBytes(1);
      projects = rs.getInt(2);
      ports = rs.getInt(3);
      allocations = rs.getInt(4);
    }
    return Optional.of(new Stored(base, projects, ports, allocations, RegistryRows.load(c, s)));
  }

  /**
   * The current document: the base ({@code decode} parses its bytes, a caller may cache) with
   * the rows laid over it.
   */
  public static SsotDocument current(Stored stored, Function<byte[], SsotDocument> decode) {
    SsotDocument base = decode.apply(stored.base());
    RegistryRows.Rows rows = stored.rows();
    if (rows.allFromBase() && rows.projects().size() == stored.projects()
        && rows.ports().size() == stored.projectPorts()
        && rows.allocations().size() == stored.allocations()) {
      return base;
    }
    Registry left = RegistryRows.rebuild(base.registry(), rows, true);
    Registry now = RegistryRows.rebuild(base.registry(), rows, false);
    return base.with(left).with(now);
  }

  /**
   * Stores {@code document} as the new base and writes every row from it (inserting the
   * document row when {@code exists} is false). Call under the registry lock
   * ({@link #lock}).
   */
  public static void write(Connection c, String s, SsotDocument document, boolean exists)
      throws SQLException {
    String sql = exists
        ? "UPDATE \"" + s + "\".ssot_document SET document = ?, revision = ?, base_projects = ?,"
            + " base_project_ports = ?, base_allocations = ?, updated_at = now() WHERE id = 1"
        : "INSERT INTO \"" + s + "\".ssot_document (document, revision, base_projects,"
            + " base_project_ports, base_allocations, id) VALUES (?, ?, ?, ?, ?, 1)";
    Registry registry = document.registry();
    try (PreparedStatement st = c.prepareStatement(sql)) {
      st.setBytes(1, document.bytes());
      st.setString(2, document.revision().value());
      st.setInt(3, registry.projects().size());
      st.setInt(4, RegistryRows.projectPortCount(registry));
      st.setInt(5, registry.allocations().size());
      st.executeUpdate();
    }
    RegistryRows.replaceAll(c, s, registry);
  }

  /**
   * Takes the registry lock for the rest of the transaction, exclusively: no allocation or
   * release runs until it ends (they take it shared).
   */
  public static void lock(Connection c, String s) throws SQLException {
    RowEdits.lockRegistry(c, s);
  }

  /** Migration 1 to 2: the rows written again from the stored document, if there is one. */
  static void rebuildRows(Connection c, String s) throws SQLException {
    byte[] bytes;
    try (PreparedStatement st = c.prepareStatement("SELECT document FROM \"" + s
        + "\".ssot_document WHERE id = 1");
        ResultSet rs = st.executeQuery()) {
      if (!rs.next()) {
        return;
      }
      bytes = rs.getBytes(1);
    }
    write(c, s, SsotDocument.parse(bytes, "the stored SSOT document (schema " + s + ")"), true);
  }
}
