package kr.codeb.ssothttp;

import java.util.ArrayDeque;
import kr.codeb.ProviderRegistry;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.ProjectPorts;
import kr.codeb.ports.SsotStore;

/**
 * One of the processes of {@link ManyProcessesTest}: {@code AllocateMain URI PREFIX COUNT ENV
 * START_AT_EPOCH_MS}, token in {@code CODEB_SSOT_TOKEN}. Allocates COUNT projects through the
 * store the URI names and releases its oldest whenever it holds more than 2, printing
 * {@code A project blue green startNs endNs} and {@code R project startNs endNs} (nanoTime:
 * CLOCK_MONOTONIC, comparable across the processes of one machine).
 */
public final class AllocateMain {
  private AllocateMain() {}

  public static void main(String[] args) throws InterruptedException {
    String prefix = args[1];
    int count = Integer.parseInt(args[2]);
    Environment env = Environment.of(args[3]);
    long startAt = Long.parseLong(args[4]);
    try (SsotStore store = ProviderRegistry.load().ssotStore(args[0])) {
      PortOperations ports = new PortOperations(store);
      store.read();
      long wait = startAt - System.currentTimeMillis();
      if (wait > 0) {
        Thread.sleep(wait);
      }
      ArrayDeque<ProjectName> held = new ArrayDeque<>();
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < count; i++) {
        ProjectName project = ProjectName.of(prefix + "-" + i);
        long start = System.nanoTime();
        ProjectPorts p = ports.allocate(project, env);
        out.append("A ").append(project.value()).append(' ').append(p.ports().blue()).append(' ')
            .append(p.ports().green()).append(' ').append(start).append(' ')
            .append(System.nanoTime()).append('\n');
        held.addLast(project);
        if (held.size() > 2) {
          ProjectName oldest = held.removeFirst();
          start = System.nanoTime();
          ports.release(oldest, env);
          out.append("R ").append(oldest.value()).append(' ').append(start).append(' ')
              .append(System.nanoTime()).append('\n');
        }
      }
      System.out.print(out);
    }
  }
}
