package kr.codeb.postgresql;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kr.codeb.ProviderConfig;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.ProjectPorts;

/**
 * Run in a separate JVM by the multi-process test: allocates {@code count} projects named
 * {@code <prefix>-<i>} in an environment of the postgresql SSOT at {@code URI} (the password
 * from this process's environment), starting at the epoch millisecond {@code startAt}, and
 * prints each pair as {@code port port} lines. Exit code 0 on success.
 *
 * <p>{@code PgAllocateMain URI PREFIX COUNT ENV START_AT_EPOCH_MS}
 */
public final class PgAllocateMain {
  private PgAllocateMain() {}

  public static void main(String[] args) throws InterruptedException {
    String prefix = args[1];
    int count = Integer.parseInt(args[2]);
    Environment env = Environment.of(args[3]);
    long startAt = Long.parseLong(args[4]);
    List<ProjectPorts> got = new ArrayList<>();
    try (PostgresqlSsotStore store = PostgresqlSsotStore.open(
        new ProviderConfig(URI.create(args[0]), Map.of(), System::getenv))) {
      PortOperations ops = new PortOperations(store);
      ops.ports(ProjectName.of("warm-up"), env); // connect and load classes before the start
      long wait = startAt - System.currentTimeMillis();
      if (wait > 0) {
        Thread.sleep(wait);
      }
      for (int i = 0; i < count; i++) {
        ProjectPorts p = ops.allocate(ProjectName.of(prefix + "-" + i), env);
        if (!p.created()) {
          throw new IllegalStateException(prefix + "-" + i + " was not created");
        }
        got.add(p);
      }
    }
    for (ProjectPorts p : got) {
      System.out.println(p.ports().blue() + " " + p.ports().green());
    }
  }
}
