package kr.codeb.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kr.codeb.InvalidRequestException;
import kr.codeb.env.EnvFile;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project's env file on this machine (no app server with ssh:): the config file's envDir:,
 * update writes only when something changes, with mode 0600. Over SSH: EnvCommandsFleetTest.
 */
class ProjectEnvFilesTest {
  static final ProjectName SHOP = new ProjectName("shop");
  static final Environment PROD = new Environment("production");

  @TempDir Path dir;

  private ProjectEnvFiles files(String... configLines) throws IOException {
    Path config = Files.writeString(dir.resolve("we.yaml"), String.join("\n", configLines) + "\n");
    PrintStream nowhere = new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8);
    Session session = new Session(nowhere, nowhere,
        name -> name.equals(Session.CONFIG_VARIABLE) ? config.toString() : null, dir, false);
    return new ProjectEnvFiles(session);
  }

  @Test
  void updateWritesAPrivateFileInEnvDirOnlyWhenSomethingChanges() throws IOException {
    Path envDir = dir.resolve("env");
    ProjectEnvFiles files = files("envDir: " + envDir);
    assertEquals(Optional.empty(), files.read(SHOP, PROD));

    EnvFile.Diff first = files.update(SHOP, PROD,
        f -> f.with(Map.of("DATABASE_URL", "postgres://u:p w'q@db/x", "A", "1")));
    assertEquals(Set.of("A", "DATABASE_URL"), first.added());
    Path file = envDir.resolve("shop-production.env");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(envDir)));
    assertEquals("postgres://u:p w'q@db/x",
        files.read(SHOP, PROD).orElseThrow().get("DATABASE_URL").orElseThrow());

    long modified = Files.getLastModifiedTime(file).toMillis();
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(modified - 10_000));
    EnvFile.Diff same = files.update(SHOP, PROD, f -> f.with(Map.of("A", "1")));
    assertTrue(same.isEmpty(), same.toString());
    assertEquals(modified - 10_000, Files.getLastModifiedTime(file).toMillis(),
        "an empty diff writes nothing");

    EnvFile.Diff second = files.update(SHOP, PROD,
        f -> f.with(Map.of("A", "2")).without(Set.of("DATABASE_URL")));
    assertEquals(Set.of("A"), second.changed());
    assertEquals(Set.of("DATABASE_URL"), second.removed());
    assertEquals(Set.of("A"), files.read(SHOP, PROD).orElseThrow().keys());
    assertEquals("this machine:" + file, files.location(SHOP, PROD));
  }

  @Test
  void anAppServerWithoutSshKeepsItsFilesOnThisMachine() throws IOException {
    Path envDir = dir.resolve("env2");
    ProjectEnvFiles files = files("envDir: " + envDir, "servers:",
        "  - { name: app1, roles: [app], public: 127.0.0.1, private: 127.0.0.1,",
        "      projects: [shop], engines: { runtime: 'docker://' } }");
    files.update(SHOP, PROD, f -> f.with(Map.of("K", "v")));
    assertTrue(Files.isRegularFile(envDir.resolve("shop-production.env")));
  }

  @Test
  void aLinkWhereTheFileShouldBeIsRefusedAndNothingIsWritten() throws IOException {
    Path envDir = Files.createDirectories(dir.resolve("env3"));
    Path target = Files.writeString(dir.resolve("elsewhere"), "");
    Files.createSymbolicLink(envDir.resolve("shop-production.env"), target);
    ProjectEnvFiles files = files("envDir: " + envDir);
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> files.update(SHOP, PROD, f -> f.with(Map.of("K", "secret-value"))));
    assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    assertFalse(e.getMessage().contains("secret-value"), e.getMessage());
    assertEquals("", Files.readString(target));
  }

  @Test
  void envDirMustBeAnAbsoluteFolder() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> files("envDir: relative/env").folder());
    assertTrue(e.getMessage().contains("envDir"), e.getMessage());
  }
}
