package kr.codeb.ssot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.RegistryEdit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file store pointed at something that is not an SSOT file: nothing hangs, nothing fills the
 * heap, nothing of the content is echoed, and nothing is created beside it.
 */
class SsotInputSafetyTest {
  private static final RegistryEdit.Allocate ALLOCATE =
      RegistryEdit.Allocate.of(ProjectName.of("acme"), Environment.of("production"));

  @TempDir Path dir;

  private InvalidRequestException refused(Path file) {
    FileSsotStore store = FileSsotStore.open(file);
    InvalidRequestException read = assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> assertThrows(InvalidRequestException.class, store::read));
    assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> assertThrows(InvalidRequestException.class, () -> store.apply(ALLOCATE)));
    return read;
  }

  @Test
  void aFifoIsRefusedWithoutBeingOpened() throws Exception {
    Path fifo = dir.resolve("ssot.json");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available");
    InvalidRequestException e = refused(fifo);
    assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    assertEquals(List.of("ssot.json"), listing(), "no lock or queue beside it");
  }

  @Test
  void devicesAreRefusedBeforeAnyByteIsRead() throws IOException {
    for (String device : List.of("/dev/zero", "/dev/urandom")) {
      Assumptions.assumeTrue(Files.exists(Path.of(device)));
      Path link = dir.resolve("via-" + device.substring(5) + ".json");
      Files.createSymbolicLink(link, Path.of(device));
      InvalidRequestException e = refused(link);
      assertTrue(e.getMessage().contains("a device, FIFO or socket"), e.getMessage());
    }
  }

  @Test
  void aDirectoryIsNamedAsOne() throws IOException {
    Path folder = Files.createDirectory(dir.resolve("registry"));
    InvalidRequestException e = refused(folder);
    assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    assertFalse(e.getMessage().contains("IOException"), e.getMessage());
  }

  @Test
  void aHugeSparseFileIsRefusedFromItsSize() throws IOException {
    Path sparse = dir.resolve("ssot.json");
    try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
      f.setLength(3L << 30);
    }
    InvalidRequestException e = refused(sparse);
    assertTrue(e.getMessage().contains("larger than the " + FileSsotStore.MAX_BYTES
        + " bytes allowed"), e.getMessage());
    assertEquals(List.of("ssot.json"), listing());
  }

  @Test
  void controlCharactersInThePathAreEscaped() throws IOException {
    Path odd = Files.createDirectory(dir.resolve("a\u001b[31mb"));
    InvalidRequestException e = refused(odd);
    assertFalse(e.getMessage().contains("\u001b"), e.getMessage());
    assertTrue(e.getMessage().contains("a\\u001b[31mb"), e.getMessage());
  }

  @Test
  void syntaxErrorsNameThePlaceNotTheContent() throws IOException {
    String secret = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
    for (String content : List.of(
        "{\"version\": \"7.0.0\", \"portRanges\": " + secret + "}",
        "{\"version\": \"7.0.0\", \"x\": \"" + secret + "\u0001\"}",
        secret + ":x:0:0:" + secret + ":/root:/bin/bash\n")) {
      Path file = dir.resolve("ssot.json");
      Files.writeString(file, content, StandardCharsets.UTF_8);
      InvalidRequestException e = refused(file);
      assertFalse(e.getMessage().contains("sk_live"), e.getMessage());
      assertTrue(e.getMessage().matches("(?s).*line \\d+, column \\d+.*"), e.getMessage());
      assertTrue(e.getCause() == null, "the parser's exception (which quotes) is not kept");
    }
    Path file = dir.resolve("ssot.json");
    Files.writeString(file, "{\"version\": \"7.0.0\", \"portRanges\": " + secret + "}");
    assertTrue(refused(file).getMessage().contains("($.portRanges): not valid JSON: a word"),
        refused(file).getMessage());
  }

  @Test
  void badValuesNameTheFieldNotTheValue() throws IOException {
    String secret = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
    for (String[] swap : new String[][] {
        {"\"project\": \"worb\"", "\"project\": \"" + secret + "\""},
        {"\"slot\": \"green\"", "\"slot\": \"" + secret + "\""},
        {"\"start\": 4500", "\"start\": \"" + secret + "\""},
        {"\"version\": \"7.0.0\"", "\"version\": \"" + secret + "\""}}) {
      Path file = dir.resolve("ssot.json");
      Files.writeString(file, Seeds.seedWith(swap[0], swap[1]), StandardCharsets.UTF_8);
      InvalidRequestException e = refused(file);
      assertFalse(e.getMessage().contains("sk_live"), e.getMessage());
      assertTrue(e.getMessage().contains("$."), e.getMessage());
    }
  }

  private List<String> listing() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
