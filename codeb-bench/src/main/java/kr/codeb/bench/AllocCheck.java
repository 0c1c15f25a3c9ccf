package kr.codeb.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kr.codeb.ProviderRegistry;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.Registry;
import kr.codeb.ports.SlotPorts;
import kr.codeb.ports.SsotStore;
import kr.codeb.ssot.FileSsotStore;

/**
 * Checks the allocation benchmark's outcome from the workers' event files (see
 * {@link AllocWorker}) and the final SSOT:
 * <ul>
 *   <li>duplicates: two projects that certainly held one port at the same instant. A project
 *       certainly holds its ports from the end of its allocate call to the start of its
 *       release call (forever if never released); overlapping such spans of one port are a
 *       duplicate. Without releases this is "no port went to two projects".
 *   <li>lost: a project still held whose pair is not what the final file holds, or a released
 *       project the file still lists (a lost update either way).
 * </ul>
 * <p>{@code AllocCheck SSOT ENV OUT...}; prints {@code total N released R duplicates D lost L};
 * exit 1 if D or L is not 0.
 */
public final class AllocCheck {
  private AllocCheck() {}

  private record Holding(String project, int blue, int green, long from, long until) {}

  public static void main(String[] args) throws IOException {
    Registry reg;
    try (SsotStore store = args[0].contains("://")
        ? ProviderRegistry.load().ssotStore(args[0]) : FileSsotStore.open(Path.of(args[0]))) {
      reg = store.read();
    }
    Environment env = Environment.of(args[1]);
    Map<String, String[]> allocs = new HashMap<>();
    Map<String, Long> releaseStart = new HashMap<>();
    for (int i = 2; i < args.length; i++) {
      for (String line : Files.readAllLines(Path.of(args[i]))) {
        String[] f = line.split(" ");
        if (f[0].equals("A")) {
          allocs.put(f[1], f);
        } else {
          releaseStart.put(f[1], Long.parseLong(f[2]));
        }
      }
    }
    Map<Integer, List<Holding>> byPort = new HashMap<>();
    int lost = 0;
    for (String[] f : allocs.values()) {
      Long until = releaseStart.get(f[1]);
      Holding h = new Holding(f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]),
          Long.parseLong(f[5]), until == null ? Long.MAX_VALUE : until);
      byPort.computeIfAbsent(h.blue(), k -> new ArrayList<>()).add(h);
      byPort.computeIfAbsent(h.green(), k -> new ArrayList<>()).add(h);
      SlotPorts stored = reg.ports(ProjectName.of(h.project()), env).orElse(null);
      boolean ok = until == null
          ? stored != null && stored.blue() == h.blue() && stored.green() == h.green()
          : stored == null;
      if (!ok) {
        lost++;
        System.err.println("lost: " + h.project() + (until == null ? " was given " : " released ")
            + h.blue() + "/" + h.green() + " but the file holds " + stored);
      }
    }
    int duplicates = 0;
    for (Map.Entry<Integer, List<Holding>> e : byPort.entrySet()) {
      List<Holding> hs = e.getValue();
      hs.sort((a, b) -> Long.compare(a.from(), b.from()));
      for (int i = 1; i < hs.size(); i++) {
        // Sorted by start: overlapping with any earlier span means overlapping the one that
        // ends latest; comparing neighbours after a running maximum keeps this linear.
        Holding prev = hs.get(i - 1);
        if (hs.get(i).from() < prev.until()) {
          duplicates++;
          System.err.println("duplicate: port " + e.getKey() + " held by " + prev.project()
              + " and " + hs.get(i).project() + " at once");
        }
        if (prev.until() > hs.get(i).until()) {
          hs.set(i, new Holding(prev.project(), prev.blue(), prev.green(), hs.get(i).from(),
              prev.until()));
        }
      }
    }
    System.out.println("total " + allocs.size() + " released " + releaseStart.size()
        + " duplicates " + duplicates + " lost " + lost);
    System.exit(duplicates == 0 && lost == 0 ? 0 : 1);
  }
}
