package kr.codeb.ssot;

import java.nio.file.Path;
import kr.codeb.Environment;
import kr.codeb.PortOperations;
import kr.codeb.ProjectName;

/**
 * Run in a separate JVM by the multi-process test: allocates {@code count} projects named
 * {@code <prefix>-<i>} in an environment of the SSOT file. Exit code 0 on success.
 */
public final class AllocateMain {
  private AllocateMain() {}

  public static void main(String[] args) {
    Path file = Path.of(args[0]);
    String prefix = args[1];
    int count = Integer.parseInt(args[2]);
    Environment env = Environment.of(args[3]);
    try (FileSsotStore store = FileSsotStore.open(file)) {
      PortOperations ops = new PortOperations(store);
      for (int i = 0; i < count; i++) {
        ops.allocate(ProjectName.of(prefix + "-" + i), env);
      }
    }
  }
}
