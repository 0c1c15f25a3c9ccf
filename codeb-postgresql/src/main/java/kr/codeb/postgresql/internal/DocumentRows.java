package kr.codeb.postgresql.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import kr.codeb.ports.Registry;
import kr.codeb.ssot.SsotDocument;

/** The {@code ssot_document} row and, with it, the registry's rows. */
public final class DocumentRows {
  private DocumentRows() {}

  /** The stored document's bytes, if any; {@code forUpdate} locks the row to the transaction. */
  public static Optional<byte[]> select(Connection c, String s, boolean forUpdate)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT document FROM \"" + s
        + "\".ssot_document WHERE id = 1" + (forUpdate ? " FOR UPDATE" : ""));
        ResultSet rs = st.executeQuery()) {
      return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
    }
  }

  /** Stores {@code after} over the document that held {@code before}, rows included. */
  public static void update(Connection c, String s, SsotDocument after, Registry before)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement("UPDATE \"" + s + "\".ssot_document"
        + " SET document = ?, revision = ?, updated_at = now() WHERE id = 1")) {
      st.setBytes(1, after.bytes());
      st.setString(2, after.revision().value());
      st.executeUpdate();
    }
    RegistryRows.sync(c, s, before, after.registry());
  }

  /** Stores a whole document (inserting the row when {@code exists} is false), rows included. */
  public static void replace(Connection c, String s, SsotDocument document, boolean exists)
      throws SQLException {
    String sql = exists
        ? "UPDATE \"" + s + "\".ssot_document SET document = ?, revision = ?, updated_at = now()"
            + " WHERE id = 1"
        : "INSERT INTO \"" + s + "\".ssot_document (document, revision, id) VALUES (?, ?, 1)";
    try (PreparedStatement st = c.prepareStatement(sql)) {
      st.setBytes(1, document.bytes());
      st.setString(2, document.revision().value());
      st.executeUpdate();
    }
    RegistryRows.replaceAll(c, s, document.registry());
  }
}
