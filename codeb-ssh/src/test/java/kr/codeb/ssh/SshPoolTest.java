package kr.codeb.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import kr.codeb.UnavailableException;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
      // the same server with another configuration is another connection too
      try (SshConnection slow = pool.connection(TestSsh.target(),
          TestSsh.config().withTimeouts(Duration.ofSeconds(7), T))) {
        assertNotEquals(first, session(slow));
      }
      assertEquals(3, pool.openedConnections());
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

  @Test
  void serverStoppedWhileConnectedIsUnavailableWithinTheConnectTimeout(@TempDir Path tmp)
      throws Exception {
    // a third sshd of our own on 127.0.0.13, configured like the test sshd, that this test stops
    Path state = Path.of(TestEngines.require("CODEB_TEST_STATE"));
    int port;
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.13"))) {
      port = s.getLocalPort();
    }
    String config = Files.readString(state.resolve("sshd-a/sshd_config"))
        .replaceAll("(?m)^ListenAddress .*$", "ListenAddress 127.0.0.13")
        .replaceAll("(?m)^Port .*$", "Port " + port)
        .replaceAll("(?m)^PidFile .*$", "PidFile " + tmp.resolve("sshd.pid"));
    Path configFile = Files.writeString(tmp.resolve("sshd_config"), config);
    String[] pub = Files.readString(state.resolve("sshd-a/ssh_host_ed25519_key.pub")).trim().split("\\s+");
    Path knownHosts = Files.writeString(tmp.resolve("known_hosts"),
        "[127.0.0.13]:" + port + " " + pub[0] + " " + pub[1] + "\n");
    Process sshd = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", configFile.toString())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("log").toFile()).start();
    try {
      SshTarget target = new SshTarget(TestSsh.target().user(), "127.0.0.13", port);
      SshConfig config13 = TestSsh.config().withKnownHosts(knownHosts)
          .withTimeouts(Duration.ofSeconds(2), T);
      awaitListening(target, Duration.ofSeconds(10));
      try (SshPool pool = new SshPool();
          SshConnection a = pool.connection(target, config13)) {
        assertEquals("ok\n", a.exec("echo ok", T).stdout());
        sshd.destroy(); // SIGTERM: the listener ends, the open session lives on
        assertTrue(sshd.waitFor(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals("still\n", a.exec("echo still", T).stdout());
        // now the session goes too: the server is fully down
        assertThrows(UnavailableException.class,
            () -> a.exec("kill -9 $PPID; sleep 5", T, Idempotency.NOT_IDEMPOTENT));
        long start = System.nanoTime();
        UnavailableException e = assertThrows(UnavailableException.class,
            () -> a.exec("echo again", T, Idempotency.IDEMPOTENT));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos());
        assertTrue(e.getMessage().contains("refused the connection"), e.getMessage());
        assertEquals(0, pool.openConnections());
      }
    } finally {
      sshd.destroyForcibly();
    }
  }

  private static void awaitListening(SshTarget target, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        new java.net.Socket(target.host(), target.port()).close();
        return;
      } catch (java.io.IOException e) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError("the test's own sshd did not listen on " + target.address());
  }
}
