package kr.codeb.postgresql.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import kr.codeb.ports.Allocation;
import kr.codeb.ports.Registry;
import kr.codeb.ports.SlotPorts;

/**
 * The registry's rows ({@code ssot_allocation}, {@code ssot_project_port}) kept equal to the
 * stored document, inside the transaction that writes it: only the rows an edit changed are
 * deleted, updated or inserted. A port recorded twice fails the transaction on the primary key
 * of {@code ssot_allocation}, whatever the code above did.
 */
final class RegistryRows {
  private RegistryRows() {}

  /** Changes the rows of {@code before} into those of {@code after}. */
  static void sync(Connection c, String s, Registry before, Registry after) throws SQLException {
    syncAllocations(c, s, before.allocations(), after.allocations());
    syncProjectPorts(c, s, projectPorts(before), projectPorts(after));
  }

  /** Replaces every row with those of {@code registry} (a whole document was stored). */
  static void replaceAll(Connection c, String s, Registry registry) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("DELETE FROM \"" + s + "\".ssot_allocation");
      st.execute("DELETE FROM \"" + s + "\".ssot_project_port");
    }
    syncAllocations(c, s, Map.of(), registry.allocations());
    syncProjectPorts(c, s, Map.of(), projectPorts(registry));
  }

  private static void syncAllocations(Connection c, String s, Map<Integer, Allocation> before,
      Map<Integer, Allocation> after) throws SQLException {
    try (PreparedStatement delete = c.prepareStatement(
            "DELETE FROM \"" + s + "\".ssot_allocation WHERE port = ?");
        PreparedStatement upsert = c.prepareStatement("INSERT INTO \"" + s
            + "\".ssot_allocation (port, project, slot, environment) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (port) DO UPDATE SET project = excluded.project,"
            + " slot = excluded.slot, environment = excluded.environment");
        PreparedStatement insert = c.prepareStatement("INSERT INTO \"" + s
            + "\".ssot_allocation (port, project, slot, environment) VALUES (?, ?, ?, ?)")) {
      int deletes = 0;
      int inserts = 0;
      for (Integer port : before.keySet()) {
        if (!after.containsKey(port)) {
          delete.setInt(1, port);
          delete.addBatch();
          deletes++;
        }
      }
      if (deletes > 0) {
        delete.executeBatch();
      }
      int upserts = 0;
      for (Allocation a : after.values()) {
        Allocation old = before.get(a.port());
        if (old != null && sameRow(old, a)) {
          continue;
        }
        if (old == null) {
          // A new record: a plain insert, so that a port some other row holds fails here.
          bind(insert, a);
          insert.addBatch();
          inserts++;
          continue;
        }
        bind(upsert, a);
        upsert.addBatch();
        upserts++;
      }
      if (inserts > 0) {
        insert.executeBatch();
      }
      if (upserts > 0) {
        upsert.executeBatch();
      }
    }
  }

  private static boolean sameRow(Allocation x, Allocation y) {
    return x.project().equals(y.project()) && x.slot() == y.slot()
        && x.environment().equals(y.environment());
  }

  private static void bind(PreparedStatement st, Allocation a) throws SQLException {
    st.setInt(1, a.port());
    st.setString(2, a.project().value());
    st.setString(3, a.slot().id());
    if (a.environment().isPresent()) {
      st.setString(4, a.environment().get().name());
    } else {
      st.setNull(4, Types.VARCHAR);
    }
  }

  private record Key(String project, String environment) {}

  private static Map<Key, SlotPorts> projectPorts(Registry registry) {
    Map<Key, SlotPorts> rows = new HashMap<>();
    registry.projects().values().forEach(entry -> entry.ports().forEach((env, ports) ->
        rows.put(new Key(entry.name().value(), env.name()), ports)));
    return rows;
  }

  private static void syncProjectPorts(Connection c, String s, Map<Key, SlotPorts> before,
      Map<Key, SlotPorts> after) throws SQLException {
    try (PreparedStatement delete = c.prepareStatement("DELETE FROM \"" + s
            + "\".ssot_project_port WHERE project = ? AND environment = ?");
        PreparedStatement upsert = c.prepareStatement("INSERT INTO \"" + s
            + "\".ssot_project_port (project, environment, blue, green) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (project, environment) DO UPDATE SET blue = excluded.blue,"
            + " green = excluded.green")) {
      int deletes = 0;
      for (Key key : before.keySet()) {
        if (!after.containsKey(key)) {
          delete.setString(1, key.project());
          delete.setString(2, key.environment());
          delete.addBatch();
          deletes++;
        }
      }
      if (deletes > 0) {
        delete.executeBatch();
      }
      int upserts = 0;
      for (Map.Entry<Key, SlotPorts> row : after.entrySet()) {
        if (Objects.equals(before.get(row.getKey()), row.getValue())) {
          continue;
        }
        upsert.setString(1, row.getKey().project());
        upsert.setString(2, row.getKey().environment());
        upsert.setInt(3, row.getValue().blue());
        upsert.setInt(4, row.getValue().green());
        upsert.addBatch();
        upserts++;
      }
      if (upserts > 0) {
        upsert.executeBatch();
      }
    }
  }
}
