package kr.codeb.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalEnvFilesTest {
  private static final ProjectName P = ProjectName.of("myapp");
  private static final Environment E = Environment.of("production");

  @TempDir Path dir;

  @Test
  void writesMode0600AtomicallyAndReadsBack() throws IOException {
    Path folder = dir.resolve("env");
    EnvFileStore store = EnvFileStore.local(folder);
    assertEquals(Optional.empty(), store.read(P, E));
    EnvFile file = new EnvFile(Map.of("DATABASE_URL", "postgresql://u:p@h/db"));
    store.write(P, E, file);
    Path written = folder.resolve("myapp-production.env");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(written)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
    assertEquals(Optional.of(file), store.read(P, E));
    store.write(P, E, file.with(Map.of("B", "2")));
    try (var list = Files.list(folder)) {
      assertEquals(1, list.count(), "no temporary file is left");
    }
    assertTrue(store.delete(P, E));
    assertFalse(store.delete(P, E));
  }

  @Test
  void aSymlinkIsRefusedAndNothingIsWritten() throws IOException {
    Path target = dir.resolve("elsewhere");
    Files.writeString(target, "A=1\n");
    Path folder = Files.createDirectory(dir.resolve("env"));
    Files.createSymbolicLink(folder.resolve("myapp-production.env"), target);
    EnvFileStore store = EnvFileStore.local(folder);
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> store.write(P, E, new EnvFile(Map.of("SECRET", "x"))));
    assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    assertThrows(InvalidRequestException.class, () -> store.read(P, E));
    assertEquals("A=1\n", Files.readString(target));
  }
}
