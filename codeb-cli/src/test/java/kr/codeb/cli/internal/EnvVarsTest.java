package kr.codeb.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.deploy.EnvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Env files and -e options: what is read, and what is refused without showing a value. */
class EnvVarsTest {
  @TempDir Path dir;

  Path privateFile(String name, byte[] content) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  Path privateFile(String name, String content) throws IOException {
    return privateFile(name, content.getBytes(StandardCharsets.UTF_8));
  }

  InvalidRequestException refused(Path file) {
    return assertThrows(InvalidRequestException.class,
        () -> new EnvVars().readFile(file, false));
  }

  @Test
  void envFile() throws IOException {
    Path file = privateFile("app.env", "# comment\n\nA=1\nexport B = two words \nC=\"quoted # not"
        + " a comment\"\nD='x'\nE=\nF=a=b\r\nG=\ttab\n");
    EnvVars env = new EnvVars().readFile(file, false);
    assertEquals(Map.of("A", "1", "B", "two words", "C", "quoted # not a comment", "D", "x",
        "E", "", "F", "a=b", "G", "tab"), env.values());
    assertEquals(List.of("A", "B", "C", "D", "E", "F", "G"), List.copyOf(env.values().keySet()));
    assertEquals(new EnvSource(Optional.of(file.toString()), List.of()), env.source());
  }

  @Test
  void aBadEnvFileLineIsNamedWithoutItsContent() throws IOException {
    for (String bad : List.of("hunter2-token", "1KEY=hunter2-token", "MY KEY=hunter2-token",
        "=hunter2-token", "A=hunter2\u0000", "A=\"hunter2", "A='hunter2", "A=\"", "A=hunter2\u001b[0m",
        "A=hunter2\u007f", "A=\"hunter2'", "hunter2\u0000")) {
      Path file = privateFile("bad.env", "OK=1\n# c\n" + bad + "\n");
      InvalidRequestException e = refused(file);
      assertTrue(e.getMessage().contains(file + " line 3"), e.getMessage());
      assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
      assertFalse(e.getMessage().chars().anyMatch(c -> c < 0x20), e.getMessage());
    }
  }

  @Test
  void controlCharactersAndOpenQuotesSayWhatIsAllowed() throws IOException {
    InvalidRequestException nul = refused(privateFile("nul.env", "A=SECRET\u0000\n"));
    assertTrue(nul.getMessage().contains("line 1 (A): the value contains a control character"
        + " (NUL at position 7); values may hold any printable text and tabs"), nul.getMessage());
    InvalidRequestException open = refused(privateFile("open.env", "A=\"unterminated\n"));
    assertTrue(open.getMessage().contains("line 1 (A): the value opens a double quote that is"
        + " not closed on the same line"), open.getMessage());
    assertFalse(open.getMessage().contains("unterminated\""), open.getMessage());
  }

  @Test
  void onlySmallRegularUtf8FilesAreRead() throws IOException {
    assertTrue(refused(Path.of("/dev/zero")).getMessage()
        .contains("env file /dev/zero is not a regular file"));
    assertTrue(refused(dir).getMessage().contains("is not a regular file"));
    Path fifo = dir.resolve("pipe.env");
    try {
      Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
      assertEquals(0, mkfifo.waitFor());
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertTrue(refused(fifo).getMessage().contains("is not a regular file"));
    assertTrue(refused(dir.resolve("missing.env")).getMessage().contains("does not exist"));
    byte[] big = ("A=" + "x".repeat(EnvVars.MAX_FILE_BYTES) + "\n")
        .getBytes(StandardCharsets.US_ASCII);
    assertTrue(refused(privateFile("big.env", big)).getMessage()
        .contains("is larger than 1048576 bytes"));
    assertTrue(refused(privateFile("latin1.env", new byte[] {'A', '=', (byte) 0xe9, '\n'}))
        .getMessage().contains("is not UTF-8 text"));
  }

  @Test
  void aFileOthersMayReadIsRefusedUnlessAllowed() throws IOException {
    Path file = privateFile("shared.env", "TOKEN=hunter2\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    InvalidRequestException e = refused(file);
    assertTrue(e.getMessage().contains("may be read by every user"), e.getMessage());
    assertTrue(e.getMessage().contains("chmod 600 " + file), e.getMessage());
    assertTrue(e.getMessage().contains("--allow-insecure-env-file"), e.getMessage());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    assertTrue(refused(file).getMessage().contains("may be read by its group"));
    assertEquals(Map.of("TOKEN", "hunter2"), new EnvVars().readFile(file, true).values());
  }

  @Test
  void optionsWinOverTheFileAndBadOnesHideTheirValue() throws IOException {
    EnvVars env = new EnvVars().readFile(privateFile("a.env", "A=file\n"), false)
        .addOptions(List.of("A=option", "B=x=y"));
    assertEquals(Map.of("A", "option", "B", "x=y"), env.values());
    assertEquals(List.of("A", "B"), env.source().optionKeys());
    for (String bad : List.of("hunter2", "1A=hunter2", "A=hunter2\u0000", "A=hunter2\nB=1")) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class,
          () -> new EnvVars().addOptions(List.of("OK=1", bad)));
      assertTrue(e.getMessage().contains("-e #2"), e.getMessage());
      assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }
  }
}
