package kr.codeb.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.Registry;
import kr.codeb.testkit.SeedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Eight separate JVMs allocating at once against one database never get the same port. */
class PostgresqlConcurrencyTest {
  private static final Environment PROD = Environment.of("production");
  private static TestDatabase database;

  @TempDir Path dir;

  @BeforeAll
  static void createDatabase() {
    database = TestDatabase.create("concurrency");
  }

  @AfterAll
  static void dropDatabase() {
    if (database != null) {
      database.close();
    }
  }

  @Test
  @Timeout(180)
  void eightProcessesAllocateTwentyEach() throws Exception {
    try (PostgresqlSsotStore store = PostgresqlSsotStore.open(database.config(""))) {
      store.importDocument(SeedData.ssotBytes(), false);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    int processes = 8;
    int each = 20;
    long startAt = System.currentTimeMillis() + 4000;
    List<Process> running = new ArrayList<>();
    for (int p = 0; p < processes; p++) {
      ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          PgAllocateMain.class.getName(), database.uri(""), "proc-" + p, String.valueOf(each),
          "production", String.valueOf(startAt));
      pb.environment().remove("PGPASSWORD");
      pb.environment().put("CODEB_POSTGRESQL_PASSWORD", database.password);
      pb.redirectErrorStream(true);
      pb.redirectOutput(dir.resolve("proc-" + p + ".log").toFile());
      running.add(pb.start());
    }
    Set<Integer> handedOut = new HashSet<>();
    for (int p = 0; p < processes; p++) {
      Process process = running.get(p);
      assertTrue(process.waitFor(150, TimeUnit.SECONDS), "process " + p + " hung");
      String log = Files.readString(dir.resolve("proc-" + p + ".log"));
      assertEquals(0, process.exitValue(), "process " + p + " failed:\n" + log);
      List<String> lines = log.lines().toList();
      assertEquals(each, lines.size(), log);
      for (String line : lines) {
        for (String port : line.split(" ")) {
          assertTrue(handedOut.add(Integer.parseInt(port)), "port " + port + " handed out twice");
        }
      }
    }
    assertEquals(processes * each * 2, handedOut.size());
    try (PostgresqlSsotStore store = PostgresqlSsotStore.open(database.config(""))) {
      Registry end = store.read();
      for (int p = 0; p < processes; p++) {
        for (int i = 0; i < each; i++) {
          assertTrue(end.ports(ProjectName.of("proc-" + p + "-" + i), PROD).isPresent());
        }
      }
      // The seed's own findings are still there; none names a process's project.
      assertEquals(List.of(), PortOperations.check(end).stream()
          .filter(f -> f.projects().stream().anyMatch(n -> n.startsWith("proc-"))).toList());
    }
    try (Connection c = database.connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT port) FROM"
            + " codeb.ssot_allocation WHERE project LIKE 'proc-%'")) {
      rs.next();
      assertEquals(processes * each * 2, rs.getInt(1));
      assertEquals(processes * each * 2, rs.getInt(2));
    }
  }
}
