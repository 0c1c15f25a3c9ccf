package kr.codeb.ssothttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.Registry;
import kr.codeb.ports.SlotPorts;
import kr.codeb.ssot.FileSsotStore;
import kr.codeb.tck.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 8 JVM processes allocate through {@code https://} against one server at the same moment,
 * each allocation paired with a release: no port is ever held by two projects at once, and the
 * final registry holds exactly the projects still held (no lost update).
 */
class ManyProcessesTest {
  private static final int PROCESSES = 8;
  private static final int EACH = 12;

  @TempDir Path dir;

  /** A project's certain hold of its pair: from the end of allocate to the start of release. */
  private record Hold(String project, SlotPorts ports, long from, long until) {}

  @Test
  void eightProcessesNeverShareAPort() throws Exception {
    try (TestServer server = TestServer.https(dir.resolve("server"), Fixtures.consistent())) {
      long startAt = System.currentTimeMillis() + 4000 + 500L * PROCESSES;
      List<Process> processes = new ArrayList<>();
      List<Path> outs = new ArrayList<>();
      for (int i = 0; i < PROCESSES; i++) {
        Path out = dir.resolve("out-" + i + ".txt");
        outs.add(out);
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin",
            "java").toString(), "-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
            System.getProperty("java.class.path"), AllocateMain.class.getName(),
            server.uri.toString(), "w" + i, String.valueOf(EACH), "production",
            String.valueOf(startAt));
        pb.environment().putAll(server.env(server.writer));
        pb.redirectErrorStream(true).redirectOutput(out.toFile());
        processes.add(pb.start());
      }
      for (Process p : processes) {
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "a process did not finish in 3 minutes");
      }
      for (int i = 0; i < PROCESSES; i++) {
        int exit = processes.get(i).exitValue();
        Path out = outs.get(i);
        assertEquals(0, exit, () -> "process " + out + " failed: " + read(out));
      }
      Map<String, String[]> allocated = new HashMap<>();
      Map<String, Long> releaseStart = new HashMap<>();
      for (Path out : outs) {
        for (String line : Files.readAllLines(out)) {
          String[] f = line.split(" ");
          if (f[0].equals("A")) {
            allocated.put(f[1], f);
          } else {
            releaseStart.put(f[1], Long.parseLong(f[2]));
          }
        }
      }
      assertEquals(PROCESSES * EACH, allocated.size());
      assertEquals(PROCESSES * (EACH - 2), releaseStart.size());
      Map<Integer, List<Hold>> byPort = new HashMap<>();
      for (String[] f : allocated.values()) {
        Hold h = new Hold(f[1], new SlotPorts(Integer.parseInt(f[2]), Integer.parseInt(f[3])),
            Long.parseLong(f[5]), releaseStart.getOrDefault(f[1], Long.MAX_VALUE));
        byPort.computeIfAbsent(h.ports().blue(), k -> new ArrayList<>()).add(h);
        byPort.computeIfAbsent(h.ports().green(), k -> new ArrayList<>()).add(h);
      }
      int duplicates = 0;
      for (List<Hold> holds : byPort.values()) {
        for (int a = 0; a < holds.size(); a++) {
          for (int b = a + 1; b < holds.size(); b++) {
            Hold x = holds.get(a);
            Hold y = holds.get(b);
            if (x.from() < y.until() && y.from() < x.until()) {
              duplicates++;
            }
          }
        }
      }
      assertEquals(0, duplicates, "ports held by two projects at once");
      Registry end;
      try (FileSsotStore file = FileSsotStore.open(server.ssot)) {
        end = file.read();
      }
      int held = 0;
      for (String[] f : allocated.values()) {
        boolean released = releaseStart.containsKey(f[1]);
        var ports = end.ports(ProjectName.of(f[1]), Fixtures.PRODUCTION);
        if (released) {
          assertTrue(ports.isEmpty(), () -> f[1] + " was released but is still in the file");
        } else {
          held++;
          assertEquals(new SlotPorts(Integer.parseInt(f[2]), Integer.parseInt(f[3])),
              ports.orElseThrow(() -> new AssertionError(f[1] + " is held but not in the file")));
        }
      }
      assertEquals(PROCESSES * 2, held);
      assertEquals(List.of(), PortOperations.check(end));
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
