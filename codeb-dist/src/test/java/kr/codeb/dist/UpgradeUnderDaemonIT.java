package kr.codeb.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import kr.codeb.testkit.SeedData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An upgrade under a running daemon: the old version's daemon finishes the line it runs, and
 * the next line, through the same {@code /usr/local/bin/we} link, runs on the new version; the
 * new client never hands a line to the old daemon.
 */
class UpgradeUnderDaemonIT {
  private static final String NEXT = Archives.VERSION + ".next";

  private Path tmp;
  private Path prefix;
  private Path link;
  private Path ssotFile;
  private Shell shell;

  @BeforeEach
  void setUp() throws IOException {
    tmp = Files.createTempDirectory(Path.of("/tmp"), "we-upgrade");
    prefix = tmp.resolve("opt-codeb");
    ssotFile = SeedData.copySsotTo(tmp.resolve("registry"));
    Shell.in(tmp, tmp).with("PATH", "/usr/bin:/bin").run(Archives.INSTALL_SCRIPT.toString(),
        "--prefix", prefix.toString(), "--bin-dir", tmp.resolve("bin").toString(),
        Archives.ARCHIVE.toString()).expect(0);
    link = tmp.resolve("bin/we");
    shell = Shell.in(tmp, tmp).with("CODEB_CDS", "off")
        .with("CODEB_DAEMON_DIR", tmp.resolve("daemon").toString())
        .with("CODEB_SSOT", ssotFile.toString());
  }

  @AfterEach
  void stopDaemonsAndClean() {
    for (String version : new String[] {Archives.VERSION, NEXT}) {
      Path we = prefix.resolve("we-" + version + "/bin/we");
      if (Files.exists(we)) {
        shell.run(we.toString(), "daemon", "stop");
      }
    }
    Archives.deleteTree(tmp);
  }

  private String status(Path we) {
    return shell.run(we.toString(), "daemon", "status").expect(0).out();
  }

  @Test
  void theOldDaemonFinishesItsLineAndTheNextLineRunsTheNewVersion() throws Exception {
    Path oldWe = prefix.resolve("we-" + Archives.VERSION + "/bin/we");
    String started = shell.run(link.toString(), "daemon", "start", "--idle-timeout", "5m")
        .expect(0).out();
    assertTrue(started.contains("version=" + Archives.VERSION), started);

    // Hold the SSOT's write lock: the old daemon's allocation waits for it, mid-line.
    Path out = tmp.resolve("allocate.out");
    Path err = tmp.resolve("allocate.err");
    Process allocation;
    try (FileChannel lockFile = FileChannel.open(ssotFile.resolveSibling(ssotFile.getFileName()
        + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = lockFile.lock()) {
      allocation = shell.start(out.toFile(), err.toFile(), link.toString(), "ssot", "allocate",
          "acme", "--env", "production");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!status(oldWe).contains("active=1") && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertTrue(status(oldWe).contains("active=1"), "the old daemon runs the line");

      Path next = Archives.relabel(NEXT, tmp.resolve("next"));
      String upgraded = Shell.in(tmp, tmp).with("PATH", "/usr/bin:/bin").run(
          Archives.INSTALL_SCRIPT.toString(), "--prefix", prefix.toString(), next.toString())
          .expect(0).out();
      assertTrue(upgraded.contains("current -> we-" + NEXT + " (was we-" + Archives.VERSION
          + ")"), upgraded);

      // The next lines run the new version, not on the old daemon.
      assertTrue(shell.run(link.toString(), "--version").expect(0).out()
          .startsWith("we " + NEXT + " "));
      String check = shell.run(link.toString(), "ssot", "check").expect(1).out();
      assertTrue(check.contains("owner-mismatch 4101"), check);
      assertTrue(shell.run(link.toString(), "daemon", "status").expect(1).out()
          .startsWith("not running"), "no daemon of the new version yet");
      String old = status(oldWe);
      assertTrue(old.contains("active=1") && old.contains("served=0"), old);
      assertTrue(allocation.isAlive(), "the old line still waits for the lock");
    }

    // Lock released: the old daemon finishes its line, for its client, successfully.
    assertTrue(allocation.waitFor(60, TimeUnit.SECONDS), "the allocation ended");
    assertEquals(0, allocation.exitValue(), Files.readString(err));
    assertTrue(Files.readString(out).contains("acme"), Files.readString(out));
    String old = status(oldWe);
    assertTrue(old.contains("version=" + Archives.VERSION) && old.contains("served=1")
        && old.contains("active=0"), old);

    // A daemon of the new version takes the next lines; the old one serves no more.
    String next = shell.run(link.toString(), "daemon", "start", "--idle-timeout", "5m")
        .expect(0).out();
    assertTrue(next.contains("version=" + NEXT), next);
    String shown = shell.run(Duration.ofSeconds(60), link.toString(), "ssot", "show", "--json")
        .expect(0).out();
    assertTrue(shown.contains("\"acme\""), "the allocation the old daemon made is stored");
    assertTrue(status(link).contains("served=1"), status(link));
    assertTrue(status(oldWe).contains("served=1"), status(oldWe));
  }
}
