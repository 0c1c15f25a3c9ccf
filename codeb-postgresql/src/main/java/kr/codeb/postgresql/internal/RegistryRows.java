package kr.codeb.postgresql.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.model.Slot;
import kr.codeb.ports.Allocation;
import kr.codeb.ports.PortRange;
import kr.codeb.ports.ProjectEntry;
import kr.codeb.ports.Registry;
import kr.codeb.ports.SlotPorts;

/**
 * The registry as rows (schema version 2): {@code ssot_project} (one per project entry),
 * {@code ssot_project_port} (a project's pair in an environment), {@code ssot_allocation} (the
 * records of {@code ports.allocated}; its primary key, the port, is the database's guarantee
 * that no port is recorded twice) and {@code ssot_range}. Each row carries {@code ord}, its
 * place in the document (rows added later sort after the others, as the file store appends),
 * and {@code from_base}: whether it was written from the stored document, whose unknown fields
 * it then keeps. Allocate and release change the rows only ({@link RowEdits}); an edit of the
 * whole document writes them all again ({@link #replaceAll}).
 */
final class RegistryRows {
  private RegistryRows() {}

  record ProjectRow(String project, boolean fromBase) {}

  record PortRow(String project, String environment, int blue, int green, boolean fromBase) {}

  record AllocationRow(int port, String project, String slot, String environment,
      boolean fromBase) {}

  /** The rows, each list in document order. */
  record Rows(List<ProjectRow> projects, List<PortRow> ports, List<AllocationRow> allocations) {
    boolean allFromBase() {
      return projects.stream().allMatch(ProjectRow::fromBase)
          && ports.stream().allMatch(PortRow::fromBase)
          && allocations.stream().allMatch(AllocationRow::fromBase);
    }
  }

  /** Replaces every row with those of {@code registry} (a whole document was stored). */
  static void replaceAll(Connection c, String s, Registry registry) throws SQLException {
    String q = "\"" + s + "\".";
    try (Statement st = c.createStatement()) {
      st.execute("DELETE FROM " + q + "ssot_allocation");
      st.execute("DELETE FROM " + q + "ssot_project_port");
      st.execute("DELETE FROM " + q + "ssot_project");
      st.execute("DELETE FROM " + q + "ssot_range");
    }
    try (PreparedStatement range = c.prepareStatement("INSERT INTO " + q + "ssot_range"
            + " (environment, first_port, last_port) VALUES (?, ?, ?)");
        PreparedStatement project = c.prepareStatement("INSERT INTO " + q + "ssot_project"
            + " (project, ord, from_base, keep) VALUES (?, ?, true, ?)");
        PreparedStatement port = c.prepareStatement("INSERT INTO " + q + "ssot_project_port"
            + " (project, environment, blue, green, ord, from_base)"
            + " VALUES (?, ?, ?, ?, ?, true)");
        PreparedStatement allocation = c.prepareStatement("INSERT INTO " + q
            + "ssot_allocation (port, project, slot, environment, ord, from_base)"
            + " VALUES (?, ?, ?, ?, ?, true)")) {
      for (Map.Entry<Environment, PortRange> r : registry.portRanges().entrySet()) {
        range.setString(1, r.getKey().name());
        range.setInt(2, r.getValue().start());
        range.setInt(3, r.getValue().end());
        range.addBatch();
      }
      // Negative places, in document order: below every number the sequence hands out later.
      long place = -projectPortCount(registry) - registry.projects().size() - 1;
      for (ProjectEntry entry : registry.projects().values()) {
        project.setString(1, entry.name().value());
        project.setLong(2, place++);
        project.setBoolean(3, !entry.extensions().isEmpty());
        project.addBatch();
        for (Map.Entry<Environment, SlotPorts> p : entry.ports().entrySet()) {
          port.setString(1, entry.name().value());
          port.setString(2, p.getKey().name());
          port.setInt(3, p.getValue().blue());
          port.setInt(4, p.getValue().green());
          port.setLong(5, place++);
          port.addBatch();
        }
      }
      place = -registry.allocations().size() - 1L;
      for (Allocation a : registry.allocations().values()) {
        allocation.setInt(1, a.port());
        allocation.setString(2, a.project().value());
        allocation.setString(3, a.slot().id());
        if (a.environment().isPresent()) {
          allocation.setString(4, a.environment().get().name());
        } else {
          allocation.setNull(4, Types.VARCHAR);
        }
        allocation.setLong(5, place++);
        allocation.addBatch();
      }
      range.executeBatch();
      project.executeBatch();
      port.executeBatch();
      allocation.executeBatch();
    }
  }

  static int projectPortCount(Registry registry) {
    return registry.projects().values().stream().mapToInt(p -> p.ports().size()).sum();
  }

  /** Every row, in document order. */
  static Rows load(Connection c, String s) throws SQLException {
    String q = "\"" + s + "\".";
    List<ProjectRow> projects = new ArrayList<>();
    List<PortRow> ports = new ArrayList<>();
    List<AllocationRow> allocations = new ArrayList<>();
    try (Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT project, from_base FROM " + q
          + "ssot_project ORDER BY ord")) {
        while (rs.next()) {
          projects.add(new ProjectRow(rs.getString(1), rs.getBoolean(2)));
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT project, environment, blue, green, from_base"
          + " FROM " + q + "ssot_project_port ORDER BY ord")) {
        while (rs.next()) {
          ports.add(new PortRow(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4),
              rs.getBoolean(5)));
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT port, project, slot, environment, from_base"
          + " FROM " + q + "ssot_allocation ORDER BY ord")) {
        while (rs.next()) {
          allocations.add(new AllocationRow(rs.getInt(1), rs.getString(2), rs.getString(3),
              rs.getString(4), rs.getBoolean(5)));
        }
      }
    }
    return new Rows(projects, ports, allocations);
  }

  /**
   * The registry the rows hold, laid over {@code base} (the stored document's registry: its
   * ranges, its unknown fields, and those of its projects and records for rows that came from
   * it). With {@code baseOnly}, only the rows that came from the base document: what is left of
   * it, in its order, before the rows added since are appended.
   */
  static Registry rebuild(Registry base, Rows rows, boolean baseOnly) {
    Map<String, Map<Environment, SlotPorts>> portsOf = new LinkedHashMap<>();
    for (PortRow p : rows.ports()) {
      if (!baseOnly || p.fromBase()) {
        portsOf.computeIfAbsent(p.project(), k -> new LinkedHashMap<>())
            .put(Environment.of(p.environment()), new SlotPorts(p.blue(), p.green()));
      }
    }
    Map<ProjectName, ProjectEntry> projects = new LinkedHashMap<>();
    for (ProjectRow row : rows.projects()) {
      if (baseOnly && !row.fromBase()) {
        continue;
      }
      ProjectName name = ProjectName.of(row.project());
      Map<String, Object> extensions = row.fromBase()
          ? base.project(name).map(ProjectEntry::extensions).orElse(Map.of()) : Map.of();
      projects.put(name, new ProjectEntry(name,
          portsOf.getOrDefault(row.project(), Map.of()), extensions));
    }
    // Ports without an entry row cannot be written by CodeB; kept rather than dropped.
    portsOf.forEach((project, ports) -> projects.computeIfAbsent(ProjectName.of(project),
        n -> new ProjectEntry(n, ports, Map.of())));
    Map<Integer, Allocation> allocations = new LinkedHashMap<>();
    for (AllocationRow a : rows.allocations()) {
      if (baseOnly && !a.fromBase()) {
        continue;
      }
      Map<String, Object> extensions = a.fromBase()
          ? base.allocation(a.port()).map(Allocation::extensions).orElse(Map.of()) : Map.of();
      allocations.put(a.port(), new Allocation(a.port(), ProjectName.of(a.project()),
          Slot.parse(a.slot()), Optional.ofNullable(a.environment()).map(Environment::of),
          extensions));
    }
    return new Registry(base.version(), base.portRanges(), projects, allocations,
        base.extensions(), base.revision());
  }
}
