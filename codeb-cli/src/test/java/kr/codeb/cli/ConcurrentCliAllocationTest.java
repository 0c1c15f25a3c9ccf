package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import kr.codeb.testkit.SeedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check: 8 processes allocating 20 new projects each, all at once, into one copy of
 * the seed's file, get 160 distinct pairs, and the file stays valid.
 */
class ConcurrentCliAllocationTest {
  @TempDir Path dir;

  @Test
  void eightProcessesNeverReceiveTheSamePort() throws Exception {
    Path ssot = SeedData.copySsotTo(dir);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<Process> processes = new ArrayList<>();
    for (int p = 0; p < 8; p++) {
      processes.add(new ProcessBuilder(java.toString(), "-XX:TieredStopAtLevel=1", "-cp",
          System.getProperty("java.class.path"), AllocatingProcess.class.getName(),
          ssot.toString(), "runner" + p, "20").redirectErrorStream(false).start());
    }
    Set<Integer> handedOut = new HashSet<>();
    int pairs = 0;
    for (Process process : processes) {
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(process.waitFor(180, TimeUnit.SECONDS), "a process hung");
      assertEquals(0, process.exitValue(), err);
      for (String line : out.split("\n")) {
        JsonNode pair = WeRunner.MAPPER.readTree(line);
        assertTrue(pair.get("created").asBoolean(), line);
        assertTrue(handedOut.add(pair.get("blue").asInt()), "blue twice: " + line);
        assertTrue(handedOut.add(pair.get("green").asInt()), "green twice: " + line);
        pairs++;
      }
    }
    assertEquals(160, pairs);
    JsonNode file = WeRunner.MAPPER.readTree(Files.readAllBytes(ssot));
    assertEquals(162, file.get("projects").size());
    Set<String> ports = new HashSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = file.at("/ports/allocated").fields();
        it.hasNext(); ) {
      ports.add(it.next().getKey());
    }
    assertEquals(4 + 320, ports.size());
    WeRunner.Result check = WeRunner.run("--ssot", ssot.toString(), "--json", "ssot", "check");
    assertEquals(2, check.json().get("findings").size(), check.out());
  }
}
