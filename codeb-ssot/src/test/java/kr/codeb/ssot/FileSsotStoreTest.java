package kr.codeb.ssot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.ProviderConfig;
import kr.codeb.ProviderRegistry;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.Registry;
import kr.codeb.ports.Revision;
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
    assertThrows(NotFoundException.class, () -> store.update(Revision.NONE, r -> r));
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
        () -> store.update(SsotCodec.revision(bytes), r -> r.withoutAllocation(4100)));
    assertTrue(update.getMessage().contains(place), update.getMessage());
    assertThrows(InvalidRequestException.class,
        () -> new PortOperations(store).allocate(ProjectName.of("x"), PROD));

    assertArrayEquals(bytes, Files.readAllBytes(file));
    assertEquals(List.of(name + ".json", name + ".json.lock"), listing());
  }

  @Test
  void staleRevisionIsAConflictAndWritesNothing() throws IOException {
    Path file = seedFile();
    FileSsotStore store = FileSsotStore.open(file);
    Registry first = store.read();
    Registry second = store.update(first.revision(), r -> r.withoutAllocation(4101));
    assertNotEquals(first.revision(), second.revision());
    byte[] now = Files.readAllBytes(file);

    ConflictException e = assertThrows(ConflictException.class,
        () -> store.update(first.revision(), r -> r.withoutAllocation(4100)));
    assertTrue(e.getMessage().contains("expected rev " + first.revision()), e.getMessage());
    assertTrue(e.getMessage().contains("found " + second.revision()), e.getMessage());
    assertArrayEquals(now, Files.readAllBytes(file));
  }

  @Test
  void successfulUpdateKeepsThePreviousVersionAsBak() throws IOException {
    Path file = seedFile();
    byte[] before = Files.readAllBytes(file);
    FileSsotStore store = FileSsotStore.open(file);
    Registry written = store.update(store.read().revision(), r -> r.withoutAllocation(4101));

    assertArrayEquals(before, Files.readAllBytes(dir.resolve("ssot.json.bak")));
    assertEquals(SsotCodec.revision(Files.readAllBytes(file)), written.revision());
    assertEquals(written, store.read());
    assertTrue(written.allocation(4101).isEmpty());
    assertEquals(List.of("ssot.json", "ssot.json.bak", "ssot.json.lock"), listing());
    // An independent store sees it too.
    assertEquals(written, FileSsotStore.open(file).read());
  }

  @Test
  void bakIsAlwaysTheVersionBeforeTheLastWriteAndNeverTheLiveFile() throws IOException {
    Path file = seedFile();
    FileSsotStore store = FileSsotStore.open(file);
    byte[] previous = Files.readAllBytes(file);
    for (int port : new int[] {4100, 4101}) {
      store.modify(r -> r.withoutAllocation(port));
      assertArrayEquals(previous, Files.readAllBytes(dir.resolve("ssot.json.bak")));
      assertFalse(Files.isSameFile(file, dir.resolve("ssot.json.bak")));
      previous = Files.readAllBytes(file);
    }
    // Editing the live file in place (as some editors do) must not change the backup.
    byte[] bak = Files.readAllBytes(dir.resolve("ssot.json.bak"));
    Files.write(file, Files.readAllBytes(file), java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
    assertArrayEquals(bak, Files.readAllBytes(dir.resolve("ssot.json.bak")));
    assertEquals(List.of("ssot.json", "ssot.json.bak", "ssot.json.lock"), listing());
  }

  @Test
  void unchangedContentWritesNothing() throws IOException {
    Path file = seedFile();
    FileSsotStore store = FileSsotStore.open(file);
    Registry current = store.read();
    assertEquals(current, store.update(current.revision(), r -> r));
    assertArrayEquals(Seeds.seed(), Files.readAllBytes(file));
    assertFalse(Files.exists(dir.resolve("ssot.json.bak")));
  }

  @Test
  void aThrowingChangeWritesNothing() throws IOException {
    Path file = seedFile();
    FileSsotStore store = FileSsotStore.open(file);
    Registry current = store.read();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> store.update(current.revision(), r -> {
          throw new IllegalStateException("boom");
        }));
    assertEquals("boom", e.getMessage());
    assertArrayEquals(Seeds.seed(), Files.readAllBytes(file));
    assertEquals(List.of("ssot.json", "ssot.json.lock"), listing());
    // The locks were released: the next update works.
    store.update(current.revision(), r -> r.withoutAllocation(4101));
  }

  @Test
  void anUnwritableChangeWritesNothing() throws IOException {
    Path file = seedFile();
    FileSsotStore store = FileSsotStore.open(file);
    Registry current = store.read();
    assertThrows(InvalidRequestException.class, () -> store.update(current.revision(),
        r -> r.withExtensions(java.util.Map.of("ports", 1))));
    assertArrayEquals(Seeds.seed(), Files.readAllBytes(file));
    assertEquals(List.of("ssot.json", "ssot.json.lock"), listing());
  }

  @Test
  void keepsPosixPermissions() throws IOException {
    Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Path file = seedFile();
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    FileSsotStore store = FileSsotStore.open(file);
    store.update(store.read().revision(), r -> r.withoutAllocation(4101));
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
    store.update(store.read().revision(), r -> r.withoutAllocation(4101));
    assertTrue(Files.isSymbolicLink(link));
    assertTrue(FileSsotStore.open(real).read().allocation(4101).isEmpty());
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

  private List<String> listing() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
