package kr.codeb.cli;

import static kr.codeb.cli.WeRunner.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person may name by mistake: nothing hangs, nothing ends in a stack trace, every
 * refusal is exit 2 with a message that names the file and what is allowed, never a Java class
 * and never the file's content, and nothing is written beside the file.
 */
class InputSafetyTest {
  private static final String SECRET = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
  private static final List<String[]> VERBS = List.of(
      new String[] {"ssot", "show"},
      new String[] {"ssot", "check"},
      new String[] {"ssot", "allocate", "acme", "--env", "production"},
      new String[] {"ssot", "release", "acme", "--env", "production"},
      new String[] {"ssot", "repair"});

  @TempDir Path dir;

  private static String[] line(Path ssot, String... args) {
    return Stream.concat(Stream.of("--ssot", ssot.toString()), Stream.of(args))
        .toArray(String[]::new);
  }

  private WeRunner.Result refusedFast(String... args) {
    WeRunner.Result r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> run(args));
    r.expect(2);
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("we: error: "), r.err());
    assertFalse(r.err().matches("(?s).*(Exception|Error:|java\\.|\\tat ).*"), r.err());
    return r;
  }

  private List<String> listing() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aFifoIsRefusedAtOnceByEveryVerb() throws Exception {
    Path fifo = dir.resolve("ssot.json");
    Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0);
    for (String[] verb : VERBS) {
      WeRunner.Result r = refusedFast(line(fifo, verb));
      assertTrue(r.err().contains(fifo + " is a device, FIFO or socket, not a regular file"),
          r.err());
    }
    assertEquals(List.of("ssot.json"), listing());
  }

  @Test
  void devicesAHugeSparseFileAndAFolderAreRefused() throws IOException {
    Path sparse = dir.resolve("sparse.json");
    try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
      f.setLength(3L << 30);
    }
    Path folder = Files.createDirectory(dir.resolve("folder"));
    for (String[] verb : VERBS) {
      assertTrue(refusedFast(line(Path.of("/dev/zero"), verb)).err().contains("/dev/zero is a"
          + " device, FIFO or socket"));
      refusedFast(line(Path.of("/dev/urandom"), verb));
      assertTrue(refusedFast(line(sparse, verb)).err().contains("is larger than the 16777216"
          + " bytes allowed"));
      assertTrue(refusedFast(line(folder, verb)).err().contains(folder + " is a directory, not"
          + " a regular file"));
    }
    assertEquals(List.of("folder", "sparse.json"), listing());
  }

  @Test
  void controlCharactersInAPathAreEscapedNotPrinted() throws IOException {
    Path odd = Files.createDirectory(dir.resolve("x\u0001y"));
    WeRunner.Result r = refusedFast(line(odd, "ssot", "show"));
    assertFalse(r.err().contains("\u0001"), r.err());
    assertTrue(r.err().contains("x\\u0001y"), r.err());
    WeRunner.Result missing = run("--ssot", dir + "/a\u0000b", "ssot", "show");
    assertFalse(missing.err().contains("\u0000"), missing.err());
  }

  @Test
  void parseErrorsNameThePlaceNeverTheContent() throws IOException {
    Path passwd = WeRunner.write(dir.resolve("passwd"), (SECRET + ":x:0:0:" + SECRET
        + ":/root:/bin/bash\n").getBytes(StandardCharsets.UTF_8));
    Path link = Files.createSymbolicLink(dir.resolve("ssot.json"), passwd);
    for (String[] verb : VERBS) {
      WeRunner.Result r = refusedFast(line(link, verb));
      assertFalse(r.err().contains("sk_live"), r.err());
      assertTrue(r.err().contains("line 1, column "), r.err());
    }
    Path token = WeRunner.write(dir.resolve("token.json"),
        ("{\"version\": \"7.0.0\", \"portRanges\": " + SECRET + "}").getBytes(StandardCharsets.UTF_8));
    String message = refusedFast(line(token, "ssot", "show")).err();
    assertFalse(message.contains("sk_live"), message);
    assertTrue(message.contains("($.portRanges)"), message);
  }

  @Test
  void badInputToEveryWritingVerbWritesNothing() throws IOException {
    Path ssot = WeRunner.seedCopy(dir, "ssot.json");
    byte[] before = WeRunner.bytes(ssot);
    for (String verb : List.of("allocate", "release")) {
      WeRunner.Result r = refusedFast(line(ssot, "ssot", verb, "acme", "--env", "nosuch"));
      assertTrue(r.err().contains("'nosuch' is not defined"), r.err());
      refusedFast(line(ssot, "ssot", verb, "acme", "--env", "system"));
    }
    assertArrayEquals(before, WeRunner.bytes(ssot));
    assertEquals(List.of("ssot.json"), listing(), "no lock file, no queue folder");
  }

  @Test
  void aNothingToDoEditTakesNoLockEither() throws IOException {
    Path ssot = WeRunner.seedCopy(dir, "ssot.json");
    run(line(ssot, "ssot", "release", "nobody", "--env", "production")).expect(0);
    assertEquals(List.of("ssot.json"), listing());
  }

  @Test
  void aDomainThatLooksLikeAnOptionIsNamedAsSuch() {
    WeRunner.Result r = refusedFast("domain", "add", "-a.example.test", "--project", "acme",
        "--env", "production", "--dns", "mem:dns", "--proxy", "mem:proxy", "--ip", "192.0.2.1");
    assertTrue(r.err().contains("'-a.example.test' is not an option of 'we domain add'"),
        r.err());
    assertTrue(r.err().contains("put it last, after '--'"), r.err());
    assertFalse(r.err().contains("Missing required parameter"), r.err());
  }

  @Test
  void aPublicSuffixIsBadInputBeforeAnyProviderIsAsked() {
    WeRunner.Result r = refusedFast("domain", "add", "co.kr", "--project", "acme",
        "--env", "production", "--dns", "mem:dns", "--proxy", "mem:proxy", "--ip", "192.0.2.1");
    assertTrue(r.err().contains("co.kr is a public suffix"), r.err());
  }

  @Test
  void aConfigThatIsNotOneTaglessDocumentIsExit2() throws IOException {
    Path ssot = WeRunner.seedCopy(dir, "ssot.json");
    for (String yaml : List.of("ssot: " + ssot + "\n---\nssot: /x\n",
        "!!java.lang.Runtime {}\n",
        "servers: [ { name: a, roles: app, public: 192.0.2.1, private: 10.0.0.1 } ]\n")) {
      Path config = WeRunner.write(dir.resolve("we.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
      WeRunner.Result r = refusedFast("--config", config.toString(), "ssot", "show");
      assertTrue(r.err().contains("config file " + config), r.err());
    }
  }
}
