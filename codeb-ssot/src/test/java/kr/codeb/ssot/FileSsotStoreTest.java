package kr.codeb.ssot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.ProviderConfig;
import kr.codeb.ProviderRegistry;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.Registry;
import kr.codeb.ports.RegistryEdit;
import kr.codeb.ports.RepairReport;
import kr.codeb.ports.SsotStore;
import kr.codeb.ssot.internal.SsotCodec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FileSsotStoreTest {
  private static final Environment PROD = Environment.of("production");

  @TempDir Path dir;

  private Path seedFile() throws IOException {
    Path file = dir.resolve("ssot.json");
    Files.write(file, Seeds.seed());
    return file;
  }

  @Test
  void readsTheSeedWithTheRevisionOfItsBytes() throws IOException {
    Path file = seedFile();
    Registry r = FileSsotStore.open(file).read();
    assertEquals(4, r.allocations().size());
    assertEquals(SsotCodec.revision(Files.readAllBytes(file)), r.revision());
    assertEquals("file", FileSsotStore.open(file).info().id());
    assertEquals(file.toAbsolutePath().toString(), FileSsotStore.open(file).info().location());
  }

  @Test
  void missingFileIsNotFoundNamingThePath() {
    Path file = dir.resolve("nope.json");
    FileSsotStore store = FileSsotStore.open(file);
    NotFoundException e = assertThrows(NotFoundException.class, store::read);
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertThrows(NotFoundException.class, () -> store.apply(releaseWorb()));
    assertFalse(Files.exists(file));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kr.codeb.ssot.Seeds#brokenFiles")
  void brokenFilesAreRefusedAndNeverTouched(String name, String content, String place)
      throws IOException {
    Path file = dir.resolve(name + ".json");
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    Files.write(file, bytes);
    FileSsotStore store = FileSsotStore.open(file);

    InvalidRequestException read = assertThrows(InvalidRequestException.class, store::read);
    assertTrue(read.getMessage().contains(name + ".json"), read.getMessage());
    assertTrue(read.getMessage().contains(place), read.getMessage());
    InvalidRequestException update = assertThrows(InvalidRequestException.class,
        () -> store.apply(releaseWorb()));
    assertTrue(update.getMessage().contains(place), update.getMessage());
    assertThrows(InvalidRequestException.class,
        () -> new PortOperations(store).allocate(ProjectName.of("x"), PROD));

    assertArrayEquals(bytes, Files.readAllBytes(file));
    assertEquals(List.of(name + ".json"), listing(), "a broken file gets no lock file either");
  }

  @Test
  void successfulUpdateKeepsThePreviousVersionAsBak() throws IOException {
    Path file = seedFile();
    byte[] before = Files.readAllBytes(file);
    FileSsotStore store = FileSsotStore.open(file);
    assertTrue(store.apply(releaseWorb()));
    Registry written = store.read();

    assertArrayEquals(before, Files.readAllBytes(dir.resolve("ssot.json.bak")));
    assertEquals(SsotCodec.revision(Files.readAllBytes(file)), written.revision());
    assertTrue(written.allocation(4100).isEmpty());
    assertEquals(List.of("ssot.json", "ssot.json.audit.jsonl", "ssot.json.bak", "ssot.json.lock"),
        listing());
    // An independent store sees it too.
    assertEquals(written, FileSsotStore.open(file).read());
  }

  @Test
  void bakIsAlwaysTheVersionBeforeTheLastWriteAndNeverTheLiveFile() throws IOException {
    Path file = seedFile();
    FileSsotStore store = FileSsotStore.open(file);
    byte[] previous = Files.readAllBytes(file);
    for (String project : new String[] {"worb", "vsvs-kr"}) {
      assertTrue(store.apply(new RegistryEdit.Release(ProjectName.of(project), PROD)));
      assertArrayEquals(previous, Files.readAllBytes(dir.resolve("ssot.json.bak")));
      assertFalse(Files.isSameFile(file, dir.resolve("ssot.json.bak")));
      previous = Files.readAllBytes(file);
    }
    // Editing the live file in place (as some editors do) must not change the backup.
    byte[] bak = Files.readAllBytes(dir.resolve("ssot.json.bak"));
    Files.write(file, Files.readAllBytes(file), java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
    assertArrayEquals(bak, Files.readAllBytes(dir.resolve("ssot.json.bak")));
    assertEquals(List.of("ssot.json", "ssot.json.audit.jsonl", "ssot.json.bak", "ssot.json.lock"),
        listing());
  }

  @Test
  void unchangedContentWritesNothing() throws IOException {
    Path file = seedFile();
    FileSsotStore store = FileSsotStore.open(file);
    Registry current = store.read();
    assertFalse(store.apply(new RegistryEdit.Release(ProjectName.of("nobody"), PROD)));
    assertEquals(current, store.read());
    assertArrayEquals(Seeds.seed(), Files.readAllBytes(file));
    assertFalse(Files.exists(dir.resolve("ssot.json.bak")));
  }

  @Test
  void aThrowingEditWritesNothing() throws IOException {
    Path file = seedFile();
    FileSsotStore store = FileSsotStore.open(file);
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> store.apply(new RegistryEdit.Release(ProjectName.of("worb"), Environment.of("qa"))));
    assertTrue(e.getMessage().contains("'qa' is not defined"), e.getMessage());
    assertArrayEquals(Seeds.seed(), Files.readAllBytes(file));
    assertEquals(List.of("ssot.json"), listing(), "bad input creates no lock file");
    // The next edit works.
    assertTrue(store.apply(releaseWorb()));
  }

  @Test
  void aRepairIsWrittenUnderTheLockAndNeverQueued() throws IOException {
    Path file = seedFile();
    FileSsotStore store = FileSsotStore.open(file);
    RepairReport report = store.apply(new RegistryEdit.Repair(false));
    assertTrue(report.written());
    assertEquals(ProjectName.of("worb"), store.read().allocation(4101).orElseThrow().project());
    assertEquals(List.of("ssot.json", "ssot.json.audit.jsonl", "ssot.json.bak", "ssot.json.lock"),
        listing());
  }

  @Test
  void keepsPosixPermissions() throws IOException {
    Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Path file = seedFile();
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    FileSsotStore store = FileSsotStore.open(file);
    store.apply(releaseWorb());
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rw-r-----",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ssot.json.bak"))));
  }

  @Test
  void writesThroughASymlinkToItsTarget() throws IOException {
    Path real = seedFile();
    Path link = dir.resolve("link.json");
    try {
      Files.createSymbolicLink(link, real.getFileName());
    } catch (UnsupportedOperationException | IOException e) {
      Assumptions.abort("no symlinks here: " + e);
    }
    FileSsotStore store = FileSsotStore.open(link);
    store.apply(releaseWorb());
    assertTrue(Files.isSymbolicLink(link));
    assertTrue(FileSsotStore.open(real).read().allocation(4100).isEmpty());
  }

  @Test
  void closedStoreRefusesUse() throws IOException {
    FileSsotStore store = FileSsotStore.open(seedFile());
    store.close();
    assertThrows(IllegalStateException.class, store::read);
  }

  @Test
  void factoryBuildsFromAFileUriWithoutIo() throws IOException {
    Path file = seedFile();
    SsotStore store = new FileSsotStoreFactory().create(ProviderConfig.of(file.toUri()));
    assertInstanceOf(FileSsotStore.class, store);
    assertEquals(4, store.read().allocations().size());
    // No I/O: a missing file is fine until the first read.
    SsotStore missing = new FileSsotStoreFactory()
        .create(ProviderConfig.of(URI.create("file:///opt/codeb/registry/ssot.json")));
    assertEquals("/opt/codeb/registry/ssot.json", missing.info().location());
    for (String bad : List.of("file:relative.json", "file://host/x.json", "file:///x.json?a=b")) {
      assertThrows(InvalidRequestException.class,
          () -> new FileSsotStoreFactory().create(ProviderConfig.of(URI.create(bad))), bad);
    }
  }

  @Test
  void factoryIsFoundThroughServiceLoader() throws IOException {
    Path file = seedFile();
    try (SsotStore store = ProviderRegistry.load().ssotStore(file.toUri().toString())) {
      assertEquals("file", store.info().id());
      assertEquals(4, store.read().allocations().size());
    }
  }

  private static RegistryEdit.Release releaseWorb() {
    return new RegistryEdit.Release(ProjectName.of("worb"), PROD);
  }

  private List<String> listing() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
