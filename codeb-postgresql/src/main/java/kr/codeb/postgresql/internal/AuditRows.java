package kr.codeb.postgresql.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import kr.codeb.audit.AuditEntry;
import kr.codeb.audit.AuditQuery;
import kr.codeb.model.ProjectName;

/** Audit entries as rows of {@code audit_log} (before and after as jsonb). */
public final class AuditRows {
  private AuditRows() {}

  /** Inserts the entries, in order, in the connection's current transaction. */
  public static void insert(Connection c, String s, List<AuditEntry> entries) throws SQLException {
    if (entries.isEmpty()) {
      return;
    }
    try (PreparedStatement st = c.prepareStatement("INSERT INTO \"" + s + "\".audit_log"
        + " (at, actor, command, provider, target, action, project, before, after)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)")) {
      for (AuditEntry e : entries) {
        st.setTimestamp(1, Timestamp.from(e.time()));
        st.setString(2, e.actor());
        st.setString(3, e.command());
        st.setString(4, e.provider());
        st.setString(5, e.target());
        st.setString(6, e.action());
        if (e.project().isPresent()) {
          st.setString(7, e.project().get().value());
        } else {
          st.setNull(7, Types.VARCHAR);
        }
        st.setString(8, e.before());
        st.setString(9, e.after());
        st.addBatch();
      }
      st.executeBatch();
    }
  }

  /** The entries the query selects, oldest first. */
  public static List<AuditEntry> select(Connection c, String s, AuditQuery query)
      throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT at, actor, command, provider, target, action,"
        + " project, before::text, after::text FROM \"" + s + "\".audit_log WHERE true");
    query.since().ifPresent(t -> sql.append(" AND at >= ?"));
    query.project().ifPresent(p -> sql.append(" AND project = ?"));
    sql.append(" ORDER BY id DESC LIMIT ?");
    try (PreparedStatement st = c.prepareStatement(sql.toString())) {
      int i = 1;
      if (query.since().isPresent()) {
        st.setTimestamp(i++, Timestamp.from(query.since().get()));
      }
      if (query.project().isPresent()) {
        st.setString(i++, query.project().get().value());
      }
      st.setInt(i, query.limit());
      List<AuditEntry> newestFirst = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          String project = rs.getString(7);
          newestFirst.add(new AuditEntry(rs.getTimestamp(1).toInstant(), rs.getString(2),
              rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
              project == null ? Optional.empty() : Optional.of(ProjectName.of(project)),
              rs.getString(8), rs.getString(9)));
        }
      }
      Collections.reverse(newestFirst);
      return newestFirst;
    }
  }
}
