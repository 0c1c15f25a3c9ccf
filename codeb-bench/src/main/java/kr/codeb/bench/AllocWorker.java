package kr.codeb.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.stream.Stream;
import kr.codeb.ProviderRegistry;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.ProjectPorts;
import kr.codeb.ports.SsotDocumentStore;
import kr.codeb.ports.SsotStore;
import kr.codeb.ssot.FileSsotStore;
import kr.codeb.ssot.internal.CommitCounters;

/**
 * One of the N processes of the allocation benchmark: allocates new projects through the library
 * (PortOperations over FileSsotStore) on a shared file for a fixed time, or over the
 * postgresql store when SSOT is a {@code postgresql://} URI (password from
 * {@code CODEB_POSTGRESQL_PASSWORD}; it warms up on a private schema {@code w_SCHEMA_ID}), or
 * through an SSOT server when it is an {@code http(s)://} URI (token from
 * {@code CODEB_SSOT_TOKEN}; it warms up on projects of its own that it releases again).
 *
 * <p>{@code AllocWorker SSOT ENV SECONDS START_AT_EPOCH_MS ID OUT [KEEP]}. KEEP 0 (default):
 * every project is kept, so the file grows by one project per allocation. KEEP k &gt; 0: once
 * the worker holds more than k projects it releases its oldest, so the file stays the size of
 * a real fleet's (seed + N&middot;k projects) and every allocation is paired with a release.
 *
 * <p>OUT gets one event per line, with System.nanoTime() (CLOCK_MONOTONIC on Linux, comparable
 * across the processes of one machine) before and after the call, for {@link AllocCheck}:
 * {@code A project blue green startNs endNs} and {@code R project startNs endNs}.
 * <p>Prints one line: {@code worker ID allocations N ms T releases R reads .. updates ..
 * conflicts .. updateMs .. readMs .. fileWrites ..
 * appliedForOthers .. answeredByOthers ..}: the last three are the file store's own counts of
 * SSOT writes this process made and of the group commit (edits it applied for other processes,
 * own edits another process applied).
 */
public final class AllocWorker {
  private AllocWorker() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    String location = args[0];
    Environment env = Environment.of(args[1]);
    long seconds = Long.parseLong(args[2]);
    long startAt = Long.parseLong(args[3]);
    String id = args[4];
    Path out = Path.of(args[5]);
    int keep = args.length > 6 ? Integer.parseInt(args[6]) : 0;
    boolean database = location.startsWith("postgresql://");
    boolean server = location.startsWith("http://") || location.startsWith("https://");
    CountingStore store = new CountingStore(database || server
        ? ProviderRegistry.load().ssotStore(location) : FileSsotStore.open(Path.of(location)));
    PortOperations ports = new PortOperations(store);
    if (database) {
      warmUpOnDatabase(location, env, id, startAt);
    } else if (server) {
      warmUpOnServer(location, env, id, startAt);
    } else {
      warmUp(Path.of(location), env, id, startAt);
    }
    for (int i = 0; i < 50; i++) {
      ports.ports(ProjectName.of("warmup"), env);
    }
    store.reset();
    CommitCounters.reset();
    long wait = startAt - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long callCpu0 = threads.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    long end = t0 + seconds * 1_000_000_000L;
    int n = 0;
    int released = 0;
    ArrayDeque<ProjectName> held = new ArrayDeque<>();
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
      while (System.nanoTime() < end) {
        ProjectName project = ProjectName.of("b" + id + "-" + n);
        long start = System.nanoTime();
        ProjectPorts p = ports.allocate(project, env);
        w.println("A " + project.value() + " " + p.ports().blue() + " " + p.ports().green()
            + " " + start + " " + System.nanoTime());
        n++;
        held.addLast(project);
        if (keep > 0 && held.size() > keep) {
          ProjectName oldest = held.removeFirst();
          start = System.nanoTime();
          ports.release(oldest, env);
          w.println("R " + oldest.value() + " " + start + " " + System.nanoTime());
          released++;
        }
      }
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    long cpuMs = (os.getProcessCpuTime() - cpu0) / 1_000_000;
    long callCpuMs = (threads.getCurrentThreadCpuTime() - callCpu0) / 1_000_000;
    System.out.println(String.format(Locale.ROOT,
        "worker %s allocations %d ms %d releases %d reads %d updates %d conflicts %d updateMs %d"
            + " readMs %d fileWrites %d appliedForOthers %d"
            + " answeredByOthers %d cpuMs %d callThreadCpuMs %d",
        id, n, ms, released, store.reads.sum(), store.updates.sum(), store.conflicts.sum(),
        store.updateNanos.sum() / 1_000_000, store.readNanos.sum() / 1_000_000,
        CommitCounters.WRITES.sum(), CommitCounters.APPLIED_FOR_OTHERS.sum(),
        CommitCounters.ANSWERED_BY_OTHERS.sum(), cpuMs, callCpuMs));
  }

  /**
   * The same warm-up through an SSOT server ({@code we ssot serve}): on the benchmark's own
   * registry, with projects {@code warmup-ID-T-N} that are all released again before the start.
   */
  private static void warmUpOnServer(String uri, Environment env, String id, long startAt)
      throws InterruptedException {
    Thread[] threads = new Thread[2];
    RuntimeException[] failed = new RuntimeException[1];
    for (int t = 0; t < threads.length; t++) {
      String prefix = "warmup-" + id + "-" + t + "-";
      threads[t] = new Thread(() -> {
        try (SsotStore store = ProviderRegistry.load().ssotStore(uri)) {
          PortOperations warm = new PortOperations(store);
          int w = 0;
          for (; System.currentTimeMillis() < startAt - 1500 && w < 3000; w++) {
            warm.allocate(ProjectName.of(prefix + w), env);
            if (w >= 4) {
              warm.release(ProjectName.of(prefix + (w - 4)), env);
            }
          }
          for (int left = Math.max(0, w - 4); left < w; left++) {
            warm.release(ProjectName.of(prefix + left), env);
          }
        } catch (RuntimeException e) {
          failed[0] = e;
        }
      });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    if (failed[0] != null) {
      throw failed[0];
    }
  }

  /** The same warm-up on a private schema of the database (the store's code paths). */
  private static void warmUpOnDatabase(String uri, Environment env, String id, long startAt)
      throws InterruptedException {
    // A schema per run and worker: runs of different CodeB versions never share one.
    java.util.regex.Matcher run = java.util.regex.Pattern.compile("[?&]schema=([^&]*)")
        .matcher(uri);
    String scratch = uri.replaceAll("&schema=[^&]*", "") + "&schema=w_"
        + (run.find() ? run.group(1) : "codeb") + "_" + id;
    try (SsotStore store = ProviderRegistry.load().ssotStore(scratch)) {
      ((SsotDocumentStore) store).importDocument(BenchFiles.wideSeed(), true);
    }
    Thread[] threads = new Thread[2];
    RuntimeException[] failed = new RuntimeException[1];
    for (int t = 0; t < threads.length; t++) {
      String prefix = "warmup-" + t + "-";
      threads[t] = new Thread(() -> {
        try (SsotStore store = ProviderRegistry.load().ssotStore(scratch)) {
          PortOperations warm = new PortOperations(store);
          for (int w = 0; System.currentTimeMillis() < startAt - 500 && w < 3000; w++) {
            warm.allocate(ProjectName.of(prefix + w), env);
            if (w >= 4) {
              warm.release(ProjectName.of(prefix + (w - 4)), env);
            }
          }
        } catch (RuntimeException e) {
          failed[0] = e;
        }
      });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    if (failed[0] != null) {
      throw failed[0];
    }
  }

  /**
   * Warms the JVM until shortly before the common start with allocations and releases on a
   * private copy of the file (the same code paths, writes included). Without it each of 8
   * processes would run its first hundred allocations interpreted and the figure would measure
   * the JIT. Two threads, so that the file store's contended path (queueing an edit, waiting
   * for and collecting another's answer, combining others' edits) is compiled too, not only
   * the uncontended one: threads of one JVM queue their edits like processes do.
   */
  private static void warmUp(Path ssot, Environment env, String id, long startAt)
      throws IOException, InterruptedException {
    Path scratch = Files.createTempFile(ssot.getParent(), "warmup-" + id + "-", ".json");
    try {
      Files.copy(ssot, scratch, StandardCopyOption.REPLACE_EXISTING);
      Thread[] threads = new Thread[2];
      RuntimeException[] failed = new RuntimeException[1];
      for (int t = 0; t < threads.length; t++) {
        String prefix = "warmup-" + t + "-";
        PortOperations warm = new PortOperations(FileSsotStore.open(scratch));
        threads[t] = new Thread(() -> {
          try {
            for (int w = 0; System.currentTimeMillis() < startAt - 500 && w < 3000; w++) {
              warm.allocate(ProjectName.of(prefix + w), env);
              if (w >= 4) {
                warm.release(ProjectName.of(prefix + (w - 4)), env);
              }
            }
          } catch (RuntimeException e) {
            failed[0] = e;
          }
        });
        threads[t].start();
      }
      for (Thread thread : threads) {
        thread.join();
      }
      if (failed[0] != null) {
        throw failed[0];
      }
    } finally {
      Files.deleteIfExists(scratch);
      Files.deleteIfExists(scratch.resolveSibling(scratch.getFileName() + ".bak"));
      Files.deleteIfExists(scratch.resolveSibling(scratch.getFileName() + ".lock"));
      Path queue = scratch.resolveSibling(scratch.getFileName() + ".queue");
      if (Files.isDirectory(queue)) {
        try (Stream<Path> left = Files.list(queue)) {
          for (Path file : (Iterable<Path>) left::iterator) {
            Files.deleteIfExists(file);
          }
        }
        Files.deleteIfExists(queue);
      }
    }
  }
}
