package kr.codeb.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kr.codeb.Environment;
import kr.codeb.ProjectName;
import kr.codeb.Registry;
import kr.codeb.SlotPorts;
import kr.codeb.ssot.FileSsotStore;

/**
 * Checks the allocation benchmark's outcome: no port was handed to two projects (across all
 * workers' OUT files), and every pair a worker was given is what the final file holds for that
 * project (no lost update).
 *
 * <p>{@code AllocCheck SSOT ENV OUT...}; prints {@code total N duplicates D lost L}; exit 1 if
 * D or L is not 0.
 */
public final class AllocCheck {
  private AllocCheck() {}

  public static void main(String[] args) throws IOException {
    Registry reg;
    try (FileSsotStore store = FileSsotStore.open(Path.of(args[0]))) {
      reg = store.read();
    }
    Environment env = Environment.of(args[1]);
    Map<Integer, String> owner = new HashMap<>();
    int total = 0;
    int duplicates = 0;
    int lost = 0;
    for (int i = 2; i < args.length; i++) {
      List<String> lines = Files.readAllLines(Path.of(args[i]));
      for (String line : lines) {
        String[] f = line.split(" ");
        total++;
        int blue = Integer.parseInt(f[1]);
        int green = Integer.parseInt(f[2]);
        for (int port : new int[] {blue, green}) {
          String prev = owner.putIfAbsent(port, f[0]);
          if (prev != null && !prev.equals(f[0])) {
            duplicates++;
            System.err.println("duplicate: port " + port + " given to " + prev + " and " + f[0]);
          }
        }
        SlotPorts stored = reg.ports(ProjectName.of(f[0]), env).orElse(null);
        if (stored == null || stored.blue() != blue || stored.green() != green) {
          lost++;
          System.err.println("lost: " + f[0] + " was given " + blue + "/" + green
              + " but the file holds " + stored);
        }
      }
    }
    System.out.println("total " + total + " duplicates " + duplicates + " lost " + lost);
    System.exit(duplicates == 0 && lost == 0 ? 0 : 1);
  }
}
