package kr.codeb.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import kr.codeb.Environment;
import kr.codeb.PortOperations;
import kr.codeb.ProjectName;
import kr.codeb.ProjectPorts;
import kr.codeb.ssot.FileSsotStore;

/**
 * One of the N processes of the allocation benchmark: allocates new projects through the library
 * (PortOperations over FileSsotStore) on a shared file for a fixed time, writing every pair it was
 * given to OUT ("project blue green" lines).
 *
 * <p>{@code AllocWorker SSOT ENV SECONDS START_AT_EPOCH_MS ID OUT [MODE]}; MODE is {@code cas}
 * (default: the library as it is, FileSsotStore), or a what-if of {@link ProtoFileStore}:
 * {@code locked} (read-modify-write under the file lock) or {@code locked-link} (that, plus the
 * .bak by hard link instead of a second fsynced copy).
 * <p>Prints one line: {@code worker ID allocations N ms T reads R updates U conflicts C
 * updateMs M readMs R}.
 */
public final class AllocWorker {
  private AllocWorker() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Path ssot = Path.of(args[0]);
    Environment env = Environment.of(args[1]);
    long seconds = Long.parseLong(args[2]);
    long startAt = Long.parseLong(args[3]);
    String id = args[4];
    Path out = Path.of(args[5]);
    String mode = args.length > 6 ? args[6] : "cas";
    CountingStore store = new CountingStore(switch (mode) {
      case "cas" -> FileSsotStore.open(ssot);
      case "locked" -> new ProtoFileStore(ssot, true, false);
      case "locked-link" -> new ProtoFileStore(ssot, true, true);
      default -> throw new IllegalArgumentException("mode: cas, locked or locked-link");
    });
    PortOperations ports = new PortOperations(store);
    // Warm the JVM on reads only (no writes before the common start).
    for (int i = 0; i < 50; i++) {
      ports.ports(ProjectName.of("warmup"), env);
    }
    store.reads.reset();
    store.readNanos.reset();
    long wait = startAt - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
    long t0 = System.nanoTime();
    long end = t0 + seconds * 1_000_000_000L;
    int n = 0;
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
      while (System.nanoTime() < end) {
        ProjectName project = ProjectName.of("b" + id + "-" + n);
        ProjectPorts p = ports.allocate(project, env);
        w.println(project.value() + " " + p.ports().blue() + " " + p.ports().green()
            + " " + p.created());
        n++;
      }
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.println(String.format(Locale.ROOT,
        "worker %s allocations %d ms %d reads %d updates %d conflicts %d updateMs %d readMs %d",
        id, n, ms, store.reads.sum(), store.updates.sum(), store.conflicts.sum(),
        store.updateNanos.sum() / 1_000_000, store.readNanos.sum() / 1_000_000));
  }
}
