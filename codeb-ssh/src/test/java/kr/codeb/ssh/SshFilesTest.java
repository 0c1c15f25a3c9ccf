package kr.codeb.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import kr.codeb.CodeBException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SFTP upload (atomic, mode, owner) and download against the real test sshd. */
class SshFilesTest {
  private static final Duration T = Duration.ofSeconds(10);
  private static SshConnection ssh;
  private String dir;

  @BeforeAll
  static void connect() {
    ssh = Ssh.connect(TestSsh.target(), TestSsh.config());
  }

  @AfterAll
  static void close() {
    if (ssh != null) {
      ssh.close();
    }
  }

  @BeforeEach
  void remoteFolder() {
    dir = ssh.exec("mktemp -d /tmp/codeb-ssh-files.XXXXXX", T).stdout().strip();
    assertTrue(dir.startsWith("/tmp/codeb-ssh-files."), dir);
  }

  @AfterEach
  void removeFolder() {
    ssh.exec("rm -rf '" + dir + "'", T);
  }

  private String sh(String command) {
    ExecResult r = ssh.exec(command, T);
    assertEquals(0, r.exitStatus(), r.stderr());
    return r.stdout().strip();
  }

  @Test
  void uploadWritesContentWithModeAndNoLeftovers() {
    String path = dir + "/app.env";
    ssh.upload("A=1\n".getBytes(StandardCharsets.UTF_8), path, 0640, Optional.empty());
    assertEquals("A=1", sh("cat " + path));
    assertEquals("640", sh("stat -c %a " + path));
    assertEquals("app.env", sh("ls -A " + dir));
  }

  @Test
  void uploadReplacesByRenameNotInPlace() {
    String path = dir + "/Caddyfile";
    ssh.upload("old\n".getBytes(StandardCharsets.UTF_8), path, 0600, Optional.empty());
    String inodeBefore = sh("stat -c %i " + path);
    // a reader holding the old file open still sees the old content: the new one is a new inode
    ssh.upload("new\n".getBytes(StandardCharsets.UTF_8), path, 0644, Optional.empty());
    assertNotEquals(inodeBefore, sh("stat -c %i " + path));
    assertEquals("new", sh("cat " + path));
    assertEquals("644", sh("stat -c %a " + path));
    assertEquals("Caddyfile", sh("ls -A " + dir));
  }

  @Test
  void uploadSetsOwner() {
    String path = dir + "/owned";
    ssh.upload(new ByteArrayInputStream(new byte[] {1, 2, 3}), path, 0600,
        Optional.of(new FileOwner(1, 1)));
    assertEquals("1:1 600 3", sh("stat -c '%u:%g %a %s' " + path));
  }

  @Test
  void failedUploadLeavesTheOldFileAndNoTemporaryFile() {
    String path = dir + "/config.json";
    ssh.upload("{\"v\":1}".getBytes(StandardCharsets.UTF_8), path, 0644, Optional.empty());
    InputStream failing = new InputStream() {
      private int sent;

      @Override
      public int read() throws IOException {
        if (sent++ > 100_000) {
          throw new IOException("source broke");
        }
        return 'x';
      }
    };
    assertThrows(CodeBException.class, () -> ssh.upload(failing, path, 0644, Optional.empty()));
    assertEquals("{\"v\":1}", sh("cat " + path));
    assertEquals("config.json", sh("ls -A " + dir));
  }

  @Test
  void uploadIntoAMissingFolderIsNotFoundAndWritesNothing() {
    NotFoundException e = assertThrows(NotFoundException.class, () -> ssh.upload(
        new byte[] {1}, dir + "/missing/file", 0644, Optional.empty()));
    assertTrue(e.getMessage().contains(dir + "/missing"), e.getMessage());
    assertEquals("", sh("ls -A " + dir));
  }

  @Test
  void badUploadArgumentsAreRefused() {
    assertThrows(InvalidRequestException.class,
        () -> ssh.upload(new byte[0], "relative/path", 0644, Optional.empty()));
    assertThrows(InvalidRequestException.class,
        () -> ssh.upload(new byte[0], dir + "/", 0644, Optional.empty()));
    InvalidRequestException mode = assertThrows(InvalidRequestException.class,
        () -> ssh.upload(new byte[0], dir + "/f", 010000, Optional.empty()));
    assertTrue(mode.getMessage().contains("0000-7777"), mode.getMessage());
    assertEquals("", sh("ls -A " + dir));
  }

  @Test
  void downloadReadsTheFileWithinTheLimit() {
    sh("printf 'hello\\nworld' > " + dir + "/f");
    assertArrayEquals("hello\nworld".getBytes(StandardCharsets.UTF_8), ssh.download(dir + "/f", 11));
    InvalidRequestException big = assertThrows(InvalidRequestException.class,
        () -> ssh.download(dir + "/f", 10));
    assertTrue(big.getMessage().contains("11 bytes, over the limit of 10"), big.getMessage());
    assertThrows(NotFoundException.class, () -> ssh.download(dir + "/nope", 100));
  }
}
