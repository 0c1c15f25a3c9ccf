package kr.codeb.ssot;

import java.nio.file.Path;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.PortOperations;
import kr.codeb.ssot.internal.CommitCounters;

/**
 * Run in a separate JVM by the multi-process test: allocates {@code count} projects named
 * {@code <prefix>-<i>} in an environment of the SSOT file, starting at the epoch millisecond
 * {@code startAt} if given (so the processes really overlap), then releases every other one
 * if {@code release} is given. Prints {@code writes W answeredByOthers A appliedForOthers O}
 * (the group commit's counters). Exit code 0 on success.
 *
 * <p>{@code AllocateMain FILE PREFIX COUNT ENV [START_AT_EPOCH_MS [release]]}
 */
public final class AllocateMain {
  private AllocateMain() {}

  public static void main(String[] args) {
    Path file = Path.of(args[0]);
    String prefix = args[1];
    int count = Integer.parseInt(args[2]);
    Environment env = Environment.of(args[3]);
    long startAt = args.length > 4 ? Long.parseLong(args[4]) : 0;
    boolean release = args.length > 5 && args[5].equals("release");
    try (FileSsotStore store = FileSsotStore.open(file)) {
      PortOperations ops = new PortOperations(store);
      ops.ports(ProjectName.of("warm-up"), env); // class loading before the common start
      long wait = startAt - System.currentTimeMillis();
      if (wait > 0) {
        Thread.sleep(wait);
      }
      for (int i = 0; i < count; i++) {
        if (!ops.allocate(ProjectName.of(prefix + "-" + i), env).created()) {
          throw new IllegalStateException(prefix + "-" + i + " was not created");
        }
        if (release && i % 2 == 1 && !ops.release(ProjectName.of(prefix + "-" + i), env)) {
          throw new IllegalStateException(prefix + "-" + i + " was not released");
        }
      }
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    System.out.println("writes " + CommitCounters.WRITES.sum() + " answeredByOthers "
        + CommitCounters.ANSWERED_BY_OTHERS.sum() + " appliedForOthers "
        + CommitCounters.APPLIED_FOR_OTHERS.sum());
  }
}
