package kr.codeb.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import kr.codeb.UnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pool against the real test sshd. Each SSH connection has its own sshd session process, the
 * parent of the commands it runs: {@code echo $PPID} tells connections apart, and killing that
 * process is the server dropping the connection.
 */
class SshPoolTest {
  private static final Duration T = Duration.ofSeconds(10);
  private SshConnection control;
  private String dir;

  @BeforeEach
  void setUp() {
    control = Ssh.connect(TestSsh.target(), TestSsh.config());
    dir = control.exec("mktemp -d /tmp/codeb-ssh-pool.XXXXXX", T).stdout().strip();
  }

  @AfterEach
  void tearDown() {
    control.exec("rm -rf '" + dir + "'", T);
    control.close();
  }

  private static String session(SshConnection ssh) {
    return ssh.exec("echo $PPID", T, Idempotency.IDEMPOTENT).stdout().strip();
  }

  @Test
  void leasesShareOneConnection() {
    try (SshPool pool = new SshPool()) {
      String first;
      try (SshConnection a = pool.connection(TestSsh.target(), TestSsh.config())) {
        first = session(a);
        try (SshConnection b = pool.connection(TestSsh.target(), TestSsh.config())) {
          assertEquals(first, session(b));
        }
      }
      try (SshConnection c = pool.connection(TestSsh.target(), TestSsh.config())) {
        assertEquals(first, session(c), "a closed lease leaves the connection for the next one");
      }
      assertEquals(1, pool.openedConnections());
      // another server is another connection
      try (SshConnection other = pool.connection(TestSsh.targetB(), TestSsh.config())) {
        assertNotEquals(first, session(other));
      }
      assertEquals(2, pool.openedConnections());
      assertEquals(2, pool.openConnections());
    }
  }

  @Test
  void idleConnectionsAreClosed() throws InterruptedException {
    try (SshPool pool = new SshPool(Duration.ofMillis(400))) {
      String first;
      try (SshConnection a = pool.connection(TestSsh.target(), TestSsh.config())) {
        first = session(a);
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (pool.openConnections() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(0, pool.openConnections());
      // the server side is gone too
      assertEquals("gone\n", control.exec("kill -0 " + first + " 2>/dev/null && echo alive || echo gone", T).stdout());
      try (SshConnection b = pool.connection(TestSsh.target(), TestSsh.config())) {
        assertNotEquals(first, session(b));
      }
      assertEquals(2, pool.openedConnections());
    }
  }

  @Test
  void aLeaseInUseIsNotEvicted() throws InterruptedException {
    try (SshPool pool = new SshPool(Duration.ofMillis(200));
        SshConnection a = pool.connection(TestSsh.target(), TestSsh.config())) {
      String first = session(a);
      Thread.sleep(800);
      assertEquals(first, session(a));
      assertEquals(1, pool.openedConnections());
    }
  }

  @Test
  void connectionDroppedBetweenCallsIsReopenedEvenForNonIdempotentCalls() throws InterruptedException {
    try (SshPool pool = new SshPool();
        SshConnection a = pool.connection(TestSsh.target(), TestSsh.config())) {
      String first = session(a);
      control.exec("kill -9 " + first, T);
      Thread.sleep(300); // the client notices the closed socket
      // nothing was sent on the dead connection, so even a non-idempotent call may open a new one
      ExecResult r = a.exec("echo $PPID", T, Idempotency.NOT_IDEMPOTENT);
      assertNotEquals(first, r.stdout().strip());
      assertEquals(2, pool.openedConnections());
    }
  }

  @Test
  void idempotentCallIsRepeatedOnceWhenTheConnectionDropsDuringIt() {
    String marker = dir + "/ran";
    // first run: records itself and kills its own sshd session (the connection drops mid-call);
    // the repeat finds the marker and answers
    String command = "if [ -e " + marker + " ]; then echo repeated; else touch " + marker
        + "; kill -9 $PPID; sleep 5; fi";
    try (SshPool pool = new SshPool();
        SshConnection a = pool.connection(TestSsh.target(), TestSsh.config())) {
      ExecResult r = a.exec(command, T, Idempotency.IDEMPOTENT);
      assertEquals("repeated\n", r.stdout());
      assertEquals(2, pool.openedConnections());
    }
  }

  @Test
  void nonIdempotentCallIsNotRepeatedWhenTheConnectionDropsDuringIt() {
    String count = dir + "/count";
    String command = "echo run >> " + count + "; kill -9 $PPID; sleep 5";
    try (SshPool pool = new SshPool();
        SshConnection a = pool.connection(TestSsh.target(), TestSsh.config())) {
      UnavailableException e = assertThrows(UnavailableException.class,
          () -> a.exec(command, T, Idempotency.NOT_IDEMPOTENT));
      assertTrue(e.getMessage().contains("not repeated because it may have run"), e.getMessage());
      assertEquals("1\n", control.exec("wc -l < " + count, T).stdout(), "it ran exactly once");
      // the lease still works afterwards, on a new connection
      assertEquals("ok\n", a.exec("echo ok", T).stdout());
      assertEquals(2, pool.openedConnections());
    }
  }

  @Test
  void downloadIsRepeatedWhenTheConnectionDrops() {
    control.exec("echo content > " + dir + "/f", T);
    try (SshPool pool = new SshPool();
        SshConnection a = pool.connection(TestSsh.target(), TestSsh.config())) {
      String first = session(a);
      // drop the connection without the client noticing before the call: stop the session
      // process, then let the download find it dead or dying
      control.exec("kill -9 " + first, T);
      assertEquals("content\n", new String(a.download(dir + "/f", 100), java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  @Test
  void stoppedServerFailsTheLeaseWithinTheConnectTimeout() throws Exception {
    SshTarget t = TestSsh.target();
    int freePort;
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(t.host()))) {
      freePort = s.getLocalPort();
    }
    try (SshPool pool = new SshPool()) {
      long start = System.nanoTime();
      assertThrows(UnavailableException.class, () -> pool.connection(
          new SshTarget(t.user(), t.host(), freePort),
          TestSsh.config().withTimeouts(Duration.ofSeconds(2), T)));
      assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos());
      assertEquals(0, pool.openConnections());
    }
  }
}
