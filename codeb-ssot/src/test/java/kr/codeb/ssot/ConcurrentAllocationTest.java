package kr.codeb.ssot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.stream.Stream;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.model.Slot;
import kr.codeb.ports.Allocation;
import kr.codeb.ports.Finding;
import kr.codeb.ports.FindingKind;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.ProjectEntry;
import kr.codeb.ports.Registry;
import kr.codeb.ports.SlotPorts;
import kr.codeb.ssot.internal.CommitCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Many allocators on one file never receive the same port: threads, and separate JVMs. */
class ConcurrentAllocationTest {
  private static final Environment PROD = Environment.of("production");

  @TempDir Path dir;

  @Test
  @Timeout(120)
  void fourProcessesAllocateFifteenEach() throws Exception {
    Path file = dir.resolve("ssot.json");
    Files.write(file, Seeds.seed());
    List<String> prefixes = List.of("proc-a", "proc-b", "proc-c", "proc-d");
    long[] counters = runProcesses(file, prefixes, 15, false);
    assertAllocated(FileSsotStore.open(file).read(), prefixes, 15, i -> true);
    assertOnlyTheSeedFiles(file);
    assertContendedPathRan(counters, 4 * 15);
  }

  /**
   * Allocations and releases from 6 processes at once: releases are combined with others'
   * allocations, nothing is lost, and a released pair can be handed out again.
   */
  @Test
  @Timeout(120)
  void sixProcessesAllocateAndReleaseAtOnce() throws Exception {
    Path file = dir.resolve("ssot.json");
    Files.write(file, Seeds.seed());
    List<String> prefixes = List.of("p-a", "p-b", "p-c", "p-d", "p-e", "p-f");
    long[] counters = runProcesses(file, prefixes, 20, true);
    Registry r = FileSsotStore.open(file).read();
    assertAllocated(r, prefixes, 20, i -> i % 2 == 0);
    for (String prefix : prefixes) {
      for (int i = 1; i < 20; i += 2) {
        assertTrue(r.project(ProjectName.of(prefix + "-" + i)).isEmpty(), prefix + "-" + i);
      }
    }
    assertOnlyTheSeedFiles(file);
    assertContendedPathRan(counters, 6 * (20 + 10));
  }

  /** {writes, answeredByOthers, appliedForOthers} summed over the processes. */
  private long[] runProcesses(Path file, List<String> prefixes, int each, boolean release)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> processes = new ArrayList<>();
    // A common start after every JVM is up, so the processes contend for the lock.
    long startAt = System.currentTimeMillis() + 3000;
    for (String prefix : prefixes) {
      List<String> command = new ArrayList<>(List.of(java, "-cp",
          System.getProperty("java.class.path"), AllocateMain.class.getName(), file.toString(),
          prefix, String.valueOf(each), "production", String.valueOf(startAt)));
      if (release) {
        command.add("release");
      }
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.redirectErrorStream(true);
      pb.redirectOutput(dir.resolve(prefix + ".log").toFile());
      processes.add(pb.start());
    }
    long[] sums = new long[3];
    for (int i = 0; i < processes.size(); i++) {
      Process p = processes.get(i);
      assertTrue(p.waitFor(100, TimeUnit.SECONDS), "process " + prefixes.get(i) + " hung");
      assertEquals(0, p.exitValue(), () -> "process failed:\n" + log(dir, prefixes));
      String[] words = Files.readString(dir.resolve(prefixes.get(i) + ".log")).trim().split(" ");
      sums[0] += Long.parseLong(words[1]);
      sums[1] += Long.parseLong(words[3]);
      sums[2] += Long.parseLong(words[5]);
    }
    return sums;
  }

  /** Some edits were applied by another process, and every edit is accounted for once. */
  private static void assertContendedPathRan(long[] counters, int edits) {
    assertTrue(counters[1] > 0, "no edit was answered by another process: the group commit"
        + " path did not run (writes " + counters[0] + ")");
    assertEquals(counters[1], counters[2], "each edit applied for another was answered once");
    assertTrue(counters[0] < edits, "fewer writes (" + counters[0] + ") than edits (" + edits
        + ")");
  }

  @Test
  @Timeout(120)
  void eightThreadsAllocateTenEach() throws Exception {
    Path file = dir.resolve("ssot.json");
    Files.write(file, Seeds.seed());
    FileSsotStore shared = FileSsotStore.open(file);
    List<String> prefixes = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      prefixes.add("thread-" + (char) ('a' + t));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    long answered = CommitCounters.ANSWERED_BY_OTHERS.sum();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        String prefix = prefixes.get(t);
        // Half share one instance, half open their own: both must be safe.
        FileSsotStore store = t % 2 == 0 ? shared : FileSsotStore.open(file);
        futures.add(pool.submit(() -> {
          start.await();
          PortOperations ops = new PortOperations(store);
          for (int i = 0; i < 10; i++) {
            ops.allocate(ProjectName.of(prefix + "-" + i), PROD);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(100, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertAllocated(shared.read(), prefixes, 10, i -> true);
    assertOnlyTheSeedFiles(file);
    // Threads of one JVM queue and combine like processes.
    assertTrue(CommitCounters.ANSWERED_BY_OTHERS.sum() > answered, "no edit was combined");
  }

  private static void assertAllocated(Registry r, List<String> prefixes, int each,
      IntPredicate kept) {
    Set<Integer> seen = new HashSet<>();
    Set<SlotPorts> pairs = new HashSet<>();
    for (ProjectEntry p : r.projects().values()) {
      for (SlotPorts sp : p.ports().values()) {
        assertTrue(seen.add(sp.blue()), "port twice: " + sp.blue());
        assertTrue(seen.add(sp.green()), "port twice: " + sp.green());
      }
    }
    int held = 0;
    for (String prefix : prefixes) {
      for (int i = 0; i < each; i++) {
        if (!kept.test(i)) {
          continue;
        }
        held++;
        ProjectName name = ProjectName.of(prefix + "-" + i);
        SlotPorts sp = r.ports(name, PROD).orElseThrow(() -> new AssertionError("missing " + name));
        assertTrue(pairs.add(sp));
        assertTrue(r.range(PROD).orElseThrow().contains(sp.green()));
        assertEquals(Allocation.of(sp.blue(), name, Slot.BLUE, PROD), r.allocation(sp.blue()).orElseThrow());
        assertEquals(Allocation.of(sp.green(), name, Slot.GREEN, PROD), r.allocation(sp.green()).orElseThrow());
      }
    }
    assertEquals(held, pairs.size());
    assertEquals(2 + held, r.projects().size());
    assertEquals(4 + 2 * held, r.allocations().size());
    List<Finding> findings = PortOperations.check(r);
    assertEquals(Set.of(FindingKind.OWNER_MISMATCH, FindingKind.ORPHAN_ALLOCATION),
        Set.copyOf(findings.stream().map(Finding::kind).toList()), findings::toString);
    assertEquals(2, findings.size(), findings::toString);
    findings.forEach(f -> assertEquals(java.util.Optional.of(4101), f.port(), f::toString));
  }

  private static void assertOnlyTheSeedFiles(Path file) throws Exception {
    try (Stream<Path> files = Files.list(file.getParent())) {
      List<String> leftovers = files.map(p -> p.getFileName().toString())
          .filter(n -> n.contains(".tmp-")).toList();
      assertEquals(List.of(), leftovers);
    }
    Path queue = file.resolveSibling(file.getFileName() + ".queue");
    if (Files.exists(queue)) {
      try (Stream<Path> files = Files.list(queue)) {
        assertEquals(List.of(), files.map(p -> p.getFileName().toString()).toList(),
            "every request applied and every answer collected");
      }
    }
    // The registry still reads back identically through a fresh store.
    assertEquals(FileSsotStore.open(file).read().revision(),
        kr.codeb.ssot.internal.SsotCodec.revision(Files.readAllBytes(file)));
  }

  private static String log(Path dir, List<String> prefixes) {
    StringBuilder b = new StringBuilder();
    for (String prefix : prefixes) {
      try {
        b.append(prefix).append(":\n").append(Files.readString(dir.resolve(prefix + ".log")));
      } catch (Exception e) {
        b.append(e);
      }
    }
    return b.toString();
  }

}
