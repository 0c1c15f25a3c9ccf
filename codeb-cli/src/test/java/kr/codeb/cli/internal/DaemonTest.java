package kr.codeb.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.testkit.SeedData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The daemon and its client in one JVM, over a real Unix socket: a line run through the daemon
 * gives what it gives locally (output, errors, exit code), in the client's folder and with the
 * client's environment; the client runs locally whenever the daemon cannot take the line.
 */
class DaemonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Path dir;
  private Path work;
  private DaemonPaths paths;
  private ByteArrayOutputStream log;
  private DaemonServer server;
  private Thread serving;

  @BeforeEach
  void start() throws Exception {
    // Short paths: a Unix socket path has at most 107 bytes.
    dir = Files.createTempDirectory(Path.of("/tmp"), "wd");
    work = Files.createDirectory(dir.resolve("work"));
    SeedData.copySsotTo(work);
    paths = DaemonPaths.of(dir.resolve("d").toString(), null, null);
    log = new ByteArrayOutputStream();
    server = new DaemonServer(paths, Duration.ofMinutes(5),
        new PrintStream(log, true, StandardCharsets.UTF_8));
    serving = new Thread(server::serve, "test-daemon");
    serving.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (DaemonClient.status(paths).isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "the daemon did not answer within 10 s");
      Thread.sleep(10);
    }
  }

  @AfterEach
  void stop() throws Exception {
    server.stop("test done");
    serving.join(10_000);
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put(DaemonPaths.DIR_VARIABLE, paths.dir().toString());
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  /** Paths in a new owner-only folder of this test's, with no daemon yet. */
  private DaemonPaths ownerOnlyPaths(String name) throws IOException {
    Path folder = Files.createDirectory(dir.resolve(name),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    return DaemonPaths.of(folder.toString(), null, null);
  }

  private record Outcome(OptionalInt code, String out, String err) {}

  private Outcome viaDaemon(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    OptionalInt code = DaemonClient.tryRun(args, env, work, out, err);
    return new Outcome(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  private Outcome locally(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env::get, work);
    return new Outcome(OptionalInt.of(code), out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aLineRunsInTheClientsFolderWithTheClientsEnvironment() throws Exception {
    // CODEB_SSOT is relative and set only in the request: the daemon's own folder and
    // environment would find no registry.
    Map<String, String> env = env("CODEB_SSOT", "ssot.json");
    Outcome remote = viaDaemon(env, "ssot", "show", "--json");
    Outcome local = locally(env, "ssot", "show", "--json");
    assertEquals(OptionalInt.of(0), remote.code(), remote.err());
    JsonNode shown = JSON.readTree(remote.out());
    assertEquals(JSON.readTree(local.out()), shown);
    assertTrue(shown.path("projects").size() > 0, remote.out());
  }

  @Test
  void errorsAndExitCodesComeBackAsTheyAreLocally() {
    Map<String, String> env = env("CODEB_SSOT", "ssot.json");
    Outcome remote = viaDaemon(env, "ssot", "allocate", "Bad_Name", "--env", "production");
    Outcome local = locally(env, "ssot", "allocate", "Bad_Name", "--env", "production");
    assertEquals(OptionalInt.of(2), remote.code());
    assertEquals(local.err(), remote.err());
    assertTrue(remote.err().contains("invalid project name 'Bad_Name'"), remote.err());
    assertEquals("", remote.out());
    Outcome unknown = viaDaemon(env, "no-such-command");
    assertEquals(OptionalInt.of(2), unknown.code());
  }

  @Test
  void aWriteThroughTheDaemonIsOnDisk() throws Exception {
    Map<String, String> env = env("CODEB_SSOT", "ssot.json");
    Outcome allocated = viaDaemon(env, "ssot", "allocate", "via-daemon", "--env", "staging",
        "--json");
    assertEquals(OptionalInt.of(0), allocated.code(), allocated.err());
    String onDisk = Files.readString(work.resolve("ssot.json"));
    assertTrue(onDisk.contains("\"via-daemon\""), onDisk);
  }

  @Test
  void theClientRunsLocallyWhenTheDaemonCannotTakeTheLine() throws Exception {
    Map<String, String> env = env("CODEB_SSOT", "ssot.json");
    env.put(DaemonClient.SWITCH_VARIABLE, "off");
    assertEquals(OptionalInt.empty(), viaDaemon(env, "ssot", "show").code());
    assertEquals(OptionalInt.empty(),
        viaDaemon(env("CODEB_SSOT", "x"), "daemon", "status").code());
    assertEquals(OptionalInt.empty(), viaDaemon(env("CODEB_SSOT", "x"), "--version").code());
    Map<String, String> elsewhere = env("CODEB_SSOT", "ssot.json");
    elsewhere.put(DaemonPaths.DIR_VARIABLE, dir.resolve("none").toString());
    assertEquals(OptionalInt.empty(), viaDaemon(elsewhere, "ssot", "show").code());
  }

  @Test
  void aSocketLeftByAKilledDaemonIsIgnoredByTheClientAndReplacedByTheNextDaemon()
      throws Exception {
    DaemonPaths stale = ownerOnlyPaths("s");
    Path staleDir = stale.dir();
    try (ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      gone.bind(UnixDomainSocketAddress.of(stale.socket()));
    } // closed without removing the file: nothing listens on it any more
    assertTrue(Files.exists(stale.socket()));
    Map<String, String> env = env("CODEB_SSOT", "ssot.json");
    env.put(DaemonPaths.DIR_VARIABLE, staleDir.toString());
    assertEquals(OptionalInt.empty(), viaDaemon(env, "ssot", "show").code());

    DaemonServer next = new DaemonServer(stale, Duration.ofMinutes(1),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    Thread t = new Thread(next::serve);
    t.start();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (DaemonClient.status(stale).isEmpty()) {
        assertTrue(System.nanoTime() < deadline, "the new daemon did not answer");
        Thread.sleep(10);
      }
      assertEquals(OptionalInt.of(0), viaDaemon(env, "ssot", "show").code());
    } finally {
      next.stop("test");
      t.join(10_000);
    }
  }

  @Test
  void aSecondDaemonOnTheSameSocketIsRefused() {
    DaemonServer second = new DaemonServer(paths, Duration.ofMinutes(1),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    ConflictException e = assertThrows(ConflictException.class, second::serve);
    assertTrue(e.getMessage().contains("already runs"), e.getMessage());
  }

  @Test
  void aFolderOthersMayEnterIsRefusedByDaemonAndClient() throws Exception {
    Path open = Files.createDirectory(dir.resolve("o"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    DaemonPaths unsafe = DaemonPaths.of(open.toString(), null, null);
    InvalidRequestException e = assertThrows(InvalidRequestException.class, unsafe::prepare);
    assertTrue(e.getMessage().contains("rwxr-xr-x") && e.getMessage().contains("0700"),
        e.getMessage());
    // Even with a live socket in it, the client does not use a folder others may enter.
    Files.setPosixFilePermissions(paths.dir(), PosixFilePermissions.fromString("rwxr-x---"));
    try {
      assertEquals(OptionalInt.empty(),
          viaDaemon(env("CODEB_SSOT", "ssot.json"), "ssot", "show").code());
    } finally {
      Files.setPosixFilePermissions(paths.dir(), PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void statusReportsThePidAndStopEndsTheDaemonAndRemovesTheSocket() throws Exception {
    viaDaemon(env("CODEB_SSOT", "ssot.json"), "ssot", "show");
    String status = DaemonClient.status(paths).orElseThrow();
    assertTrue(status.contains("pid=" + ProcessHandle.current().pid()), status);
    assertTrue(status.contains("served=1"), status);
    assertTrue(DaemonClient.stop(paths).orElseThrow().startsWith("stopping"));
    serving.join(10_000);
    assertFalse(serving.isAlive(), "serve() returns after a stop");
    assertFalse(Files.exists(paths.socket()));
    assertEquals(OptionalInt.empty(),
        viaDaemon(env("CODEB_SSOT", "ssot.json"), "ssot", "show").code());
  }

  @Test
  void theLogNamesTheCommandButNeverItsEnvironmentOrOtherArguments() {
    String secret = "s3cr3t-Value-9f2";
    Map<String, String> env = env("CODEB_SSOT", "ssot.json", "CODEB_VULTR_API_KEY", secret);
    viaDaemon(env, "ssot", "allocate", "Has_" + secret, "--env", "production");
    String logged = log.toString(StandardCharsets.UTF_8);
    assertTrue(logged.contains("ran 'we ssot allocate …' exit 2"), logged);
    assertFalse(logged.contains(secret), logged);
    DaemonProtocol.Request request = new DaemonProtocol.Request(DaemonProtocol.RUN, work,
        java.util.List.of("x"), env);
    assertFalse(request.toString().contains(secret), request.toString());
  }

  @Test
  void aDaemonThatHangsUpMidLineLeavesTheOutcomeUnknownInsteadOfRunningItAgain()
      throws Exception {
    DaemonPaths fake = ownerOnlyPaths("f");
    Path fakeDir = fake.dir();
    try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      listener.bind(UnixDomainSocketAddress.of(fake.socket()));
      Thread hangUp = new Thread(() -> {
        try (SocketChannel c = listener.accept()) {
          DaemonProtocol.readRequest(new DataInputStream(Channels.newInputStream(c)));
        } catch (IOException ignored) {
          // the test looks at the client's side
        }
      });
      hangUp.start();
      Map<String, String> env = env("CODEB_SSOT", "ssot.json");
      env.put(DaemonPaths.DIR_VARIABLE, fakeDir.toString());
      Outcome o = viaDaemon(env, "deploy", "app", "--env", "production");
      hangUp.join(10_000);
      assertEquals(OptionalInt.of(1), o.code());
      assertTrue(o.err().contains("outcome is unknown"), o.err());
    }
  }

  @Test
  void aStuckLineStallsNoOtherLineAndAStopEndsTheDaemonAfterItsGrace() throws Exception {
    DaemonPaths own = ownerOnlyPaths("g");
    DaemonServer graced = new DaemonServer(own, Duration.ofMinutes(5), Duration.ofSeconds(60),
        Duration.ofSeconds(1), new PrintStream(new ByteArrayOutputStream(), true,
            StandardCharsets.UTF_8));
    Thread servingGraced = new Thread(graced::serve, "test-daemon-graced");
    servingGraced.start();
    // A "PowerDNS" that accepts connections and never answers: the line waits on it.
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50,
        java.net.InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        java.util.List<java.net.Socket> held = new java.util.ArrayList<>();
        try {
          while (true) {
            held.add(silent.accept());
          }
        } catch (IOException closed) {
          // the test is over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (DaemonClient.status(own).isEmpty()) {
        assertTrue(System.nanoTime() < deadline, "the daemon did not answer within 10 s");
        Thread.sleep(10);
      }
      Map<String, String> env = env("CODEB_SSOT", "ssot.json", "CODEB_POWERDNS_API_KEY", "k");
      env.put(DaemonPaths.DIR_VARIABLE, own.dir().toString());
      Thread stuck = new Thread(() -> viaDaemon(env, "domain", "list", "--dns",
          "powerdns+http://127.0.0.1:" + silent.getLocalPort() + "?server=localhost",
          "--proxy", "mem:stuck"));
      stuck.setDaemon(true);
      stuck.start();
      while (!DaemonClient.status(own).orElseThrow().contains("active=1")) {
        assertTrue(System.nanoTime() < deadline, "the stuck line never started");
        Thread.sleep(10);
      }
      long t0 = System.nanoTime();
      Outcome other = viaDaemon(env, "ssot", "show", "--json");
      assertEquals(OptionalInt.of(0), other.code(), other.err());
      assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos(),
          "another line ran while the stuck one waits");

      assertTrue(DaemonClient.stop(own).orElseThrow().contains("1 command(s) running"));
      servingGraced.join(6_000);
      assertFalse(servingGraced.isAlive(), "serve() returned after its 1 s grace although a"
          + " line is still stuck");
      assertTrue(stuck.isAlive(), "the stuck line was still waiting: this tested the grace");
    } finally {
      graced.stop("test done");
    }
  }

  @Test
  void aFifoAsTheSsotIsRefusedThroughTheDaemonAndLeavesNothingRunning() throws Exception {
    Path fifo = work.resolve("pipe.json");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0);
    Outcome o = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        Duration.ofSeconds(20), () -> viaDaemon(env("CODEB_SSOT", "pipe.json"), "ssot",
            "allocate", "acme", "--env", "production"));
    assertEquals(OptionalInt.of(2), o.code(), o.err());
    assertTrue(o.err().contains("is a device, FIFO or socket, not a regular file"), o.err());
    assertTrue(DaemonClient.status(paths).orElseThrow().contains("active=0"));
    assertFalse(Files.exists(work.resolve("pipe.json.lock")));
  }
}
