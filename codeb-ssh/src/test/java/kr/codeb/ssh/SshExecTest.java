package kr.codeb.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import kr.codeb.InvalidRequestException;
import kr.codeb.UnavailableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Remote commands against the real test sshd. */
class SshExecTest {
  private static SshConnection ssh;

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

  @Test
  void exitStatusAndSeparateStreams() {
    ExecResult r = ssh.exec("echo to-out; echo to-err >&2; exit 3", Duration.ofSeconds(10));
    assertEquals(3, r.exitStatus());
    assertEquals("to-out\n", r.stdout());
    assertEquals("to-err\n", r.stderr());
    assertFalse(r.succeeded());

    ExecResult ok = ssh.exec("printf 'a\\nb'", Duration.ofSeconds(10));
    assertEquals(0, ok.exitStatus());
    assertEquals("a\nb", ok.stdout());
    assertEquals("", ok.stderr());
  }

  @Test
  void commandTextReachesTheShellUnchanged() {
    ExecResult r = ssh.exec("a='it'\"'\"'s'; printf '%s|%s|%s\\n' \"$a\" \"x y\" \"$((1+2))\"; echo \"b\\\\c\"",
        Duration.ofSeconds(10));
    assertEquals("it's|x y|3\nb\\c\n", r.stdout());
    ExecResult multiline = ssh.exec("echo one\necho two", Duration.ofSeconds(10));
    assertEquals("one\ntwo\n", multiline.stdout());
  }

  @Test
  void stdinIsClosed() {
    ExecResult r = ssh.exec("cat; echo done", Duration.ofSeconds(10));
    assertEquals("done\n", r.stdout());
  }

  @Test
  void commandRunsAsTheLoginUser() {
    assertEquals(TestSsh.target().user() + "\n", ssh.exec("id -un", Duration.ofSeconds(10)).stdout());
  }

  @Test
  void outputIsBoundedAndTheCommandStillEnds() {
    long start = System.nanoTime();
    ExecResult r = ssh.exec("head -c 5000000 /dev/zero | tr '\\0' x; echo tail >&2",
        Duration.ofSeconds(30));
    assertEquals(0, r.exitStatus());
    assertEquals(ExecResult.MAX_CAPTURED_BYTES, r.stdout().length());
    assertTrue(r.stdoutTruncated());
    assertFalse(r.stderrTruncated());
    assertEquals("tail\n", r.stderr());
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(20).toNanos());
  }

  @Test
  void timeoutKillsTheCommand() {
    String marker = "/tmp/codeb-ssh-timeout-" + System.nanoTime();
    long start = System.nanoTime();
    UnavailableException e = assertThrows(UnavailableException.class,
        () -> ssh.exec("sleep 3; touch " + marker, Duration.ofMillis(700)));
    long took = (System.nanoTime() - start) / 1_000_000;
    assertTrue(took < 2500, "took " + took + " ms");
    assertTrue(e.getMessage().contains("did not finish within 0.7 s"), e.getMessage());
    assertTrue(e.getMessage().contains("`sleep ...`"), e.getMessage());
    assertTrue(e.isRetryable());
    // killed, not left running: the marker never appears
    ExecResult check = ssh.exec("sleep 3.5; test -e " + marker + " && echo ran || echo killed",
        Duration.ofSeconds(10));
    assertEquals("killed\n", check.stdout());
    // the connection is still usable after a timeout
    assertEquals("ok\n", ssh.exec("echo ok", Duration.ofSeconds(5)).stdout());
  }

  @Test
  void timeoutMessageHidesTheArguments() {
    UnavailableException e = assertThrows(UnavailableException.class,
        () -> ssh.exec("sleep 5 # password=hunter2", Duration.ofMillis(300)));
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }

  @Test
  void badCommandsAreRefusedBeforeSending() {
    assertThrows(InvalidRequestException.class, () -> ssh.exec(" ", Duration.ofSeconds(1)));
    assertThrows(InvalidRequestException.class, () -> ssh.exec("echo\0x", Duration.ofSeconds(1)));
    assertThrows(InvalidRequestException.class, () -> ssh.exec("echo", Duration.ZERO));
  }

  @Test
  void concurrentCommandsShareTheConnection() throws Exception {
    var pool = java.util.concurrent.Executors.newFixedThreadPool(6);
    try {
      var futures = new java.util.ArrayList<java.util.concurrent.Future<ExecResult>>();
      long start = System.nanoTime();
      for (int i = 0; i < 6; i++) {
        int n = i;
        futures.add(pool.submit(() -> ssh.exec("sleep 1; echo " + n, Duration.ofSeconds(20))));
      }
      for (int i = 0; i < 6; i++) {
        assertEquals(i + "\n", futures.get(i).get().stdout());
      }
      long took = (System.nanoTime() - start) / 1_000_000;
      assertTrue(took < 4000, "6 one-second commands in parallel took " + took + " ms");
    } finally {
      pool.shutdownNow();
    }
  }
}
