package kr.codeb.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.env.EnvFile;
import kr.codeb.env.EnvFileStore;
import kr.codeb.fleet.ServerLink;
import kr.codeb.fleet.SshEndpoint;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ssh.internal.SshServerLink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A server link's files, and env files kept through it, against the real test sshd. */
class ServerLinkFilesTest {
  private static final Duration T = Duration.ofSeconds(10);
  private static final ProjectName P = ProjectName.of("myapp");
  private static final Environment E = Environment.of("production");

  private ServerLink link;
  private String dir;

  @BeforeEach
  void connect() {
    SshTarget target = TestSsh.target();
    SshEndpoint endpoint = new SshEndpoint("app1", target.user(), target.host(), target.port(),
        Optional.empty(), Optional.empty(), Optional.empty());
    link = new SshServerLink(endpoint, Ssh.connect(target, TestSsh.config()));
    dir = sh("mktemp -d /tmp/codeb-link-files.XXXXXX");
  }

  @AfterEach
  void close() {
    sh("rm -rf '" + dir + "'");
    link.close();
  }

  private String sh(String command) {
    ServerLink.CommandResult r = link.run(command, T);
    assertEquals(0, r.exitStatus(), r.stderr());
    return r.stdout().strip();
  }

  @Test
  void uploadAndDownloadRoundTrip() {
    byte[] content = "hello\n\u00e9".getBytes(StandardCharsets.UTF_8);
    link.upload(content, dir + "/f", 0640);
    assertEquals("640", sh("stat -c %a '" + dir + "/f'"));
    assertArrayEquals(content, link.download(dir + "/f", 100));
    assertThrows(InvalidRequestException.class, () -> link.download(dir + "/f", 3));
    assertThrows(NotFoundException.class, () -> link.download(dir + "/none", 100));
    assertThrows(NotFoundException.class, () -> link.upload(content, dir + "/no/f", 0600));
  }

  @Test
  void envFilesOnTheServerAre0600InA0700Folder() {
    EnvFileStore store = EnvFileStore.onServer(link, dir + "/env");
    assertEquals(Optional.empty(), store.read(P, E));
    EnvFile file = new EnvFile(Map.of("DATABASE_URL", "postgresql://u:p w'@h/db", "N", "a\nb"));
    store.write(P, E, file);
    assertEquals("600", sh("stat -c %a '" + dir + "/env/myapp-production.env'"));
    assertEquals("700", sh("stat -c %a '" + dir + "/env'"));
    assertEquals(Optional.of(file), store.read(P, E));
    assertEquals("app1:" + dir + "/env/myapp-production.env", store.location(P, E));
    assertTrue(store.delete(P, E));
    assertFalse(store.delete(P, E));
  }

  @Test
  void aSymlinkIsRefusedAndItsTargetUntouched() {
    sh("mkdir -m 0700 '" + dir + "/env' && echo A=1 > '" + dir + "/target'"
        + " && ln -s '" + dir + "/target' '" + dir + "/env/myapp-production.env'");
    EnvFileStore store = EnvFileStore.onServer(link, dir + "/env");
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> store.write(P, E, new EnvFile(Map.of("SECRET", "x"))));
    assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    assertThrows(InvalidRequestException.class, () -> store.read(P, E));
    assertEquals("A=1", sh("cat '" + dir + "/target'"));
    assertTrue(sh("ls -la '" + dir + "/env'").contains("->"));
  }

  @Test
  void aFolderWithQuotesOrRelativeIsRefused() {
    assertThrows(InvalidRequestException.class, () -> EnvFileStore.onServer(link, "relative/env"));
    assertThrows(InvalidRequestException.class, () -> EnvFileStore.onServer(link, "/a'b"));
    assertThrows(InvalidRequestException.class, () -> EnvFileStore.onServer(link, "/a/../etc"));
  }
}
