package kr.codeb.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kr.codeb.testkit.SeedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the README's jshell script for real, on a copy of the seed's SSOT. */
class JshellTourTest {
  @TempDir Path dir;

  @Test
  void theJshellTourChecksAndAllocates() throws Exception {
    Path ssot = SeedData.copySsotTo(dir);
    Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
    Path script = Path.of("jshell", "ssot-tour.jsh").toAbsolutePath();
    ProcessBuilder pb = new ProcessBuilder(jshell.toString(), "--class-path",
        System.getProperty("java.class.path"), script.toString());
    pb.environment().put("CODEB_SSOT", ssot.toString());
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "jshell did not finish");
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("owner-mismatch: port 4101"), out);
    assertTrue(out.contains("orphan-allocation: port 4101"), out);
    assertTrue(out.contains("allocated acme production: blue 4104, green 4105 (new)"), out);
    JsonNode written = new ObjectMapper().readTree(ssot.toFile());
    assertEquals("acme", written.at("/ports/allocated/4104/project").asText());
    assertEquals(4105, written.at("/projects/acme/ports/production/green").asInt());
  }

  @Test
  void theEmbeddingProgramRunsInItsOwnJvm() throws Exception {
    Path ssot = SeedData.copySsotTo(dir);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(List.of(java.toString(), "-cp",
        System.getProperty("java.class.path"), SsotTour.class.getName(), ssot.toString(),
        "shop", "staging")).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("shop staging: blue 4500, green 4501"), out);
    assertTrue(new File(ssot + ".bak").exists(), "the previous version is kept as a backup");
  }
}
