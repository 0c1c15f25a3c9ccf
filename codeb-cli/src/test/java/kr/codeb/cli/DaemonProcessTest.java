package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.OptionalInt;
import kr.codeb.cli.internal.DaemonClient;
import kr.codeb.testkit.SeedData;
import org.junit.jupiter.api.Test;

/**
 * {@code we daemon start|status|stop} with a real daemon process: it starts detached, takes
 * lines from the client, keeps none of the starter's secrets in its own environment, and ends
 * on stop.
 */
class DaemonProcessTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Run(int code, String out, String err) {}

  private static Run we(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env::get);
    return new Run(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void startServeStatusStop() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "wp");
    Path ssot = SeedData.copySsotTo(dir.resolve("work"));
    Map<String, String> env = Map.of("CODEB_DAEMON_DIR", dir.resolve("d").toString(),
        "CODEB_SSOT", ssot.toString(), "HOME", dir.toString());
    try {
      Run started = we(env, "daemon", "start", "--idle-timeout", "5m", "--json");
      assertEquals(0, started.code(), started.err());
      JsonNode s = JSON.readTree(started.out());
      assertEquals("started", s.path("event").asText(), started.out());
      assertTrue(s.path("warm").asBoolean(), "start waits for the warm-up: " + started.out());
      long pid = s.path("pid").asLong();
      assertTrue(pid > 0 && pid != ProcessHandle.current().pid(), started.out());
      assertEquals("rwx------", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(dir.resolve("d"))));
      Path socket = Path.of(s.path("socket").asText());
      assertEquals("rw-------", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(socket)));

      Path lock = Path.of(socket.toString().replace(".sock", ".lock"));
      assertEquals("rw-------", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(lock)));

      Run again = we(env, "daemon", "start");
      assertEquals(0, again.code());
      assertTrue(again.out().startsWith("already running"), again.out());

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      OptionalInt shown = DaemonClient.tryRun(new String[] {"ssot", "show", "--json"}, env, out,
          err);
      assertEquals(OptionalInt.of(0), shown, err.toString(StandardCharsets.UTF_8));
      assertEquals("7.0.0", JSON.readTree(out.toString(StandardCharsets.UTF_8))
          .path("version").asText());

      // The daemon keeps only a short list of its starter's variables: CODEB_SSOT (like any
      // key or token) arrives with each line, never lives in the process.
      String environ = Files.readString(Path.of("/proc/" + pid + "/environ"));
      assertFalse(environ.contains("CODEB_SSOT"), environ);

      Run status = we(env, "daemon", "status", "--json");
      assertEquals(0, status.code(), status.err());
      assertEquals(1, JSON.readTree(status.out()).path("served").asInt(), status.out());

      Run stopped = we(env, "daemon", "stop");
      assertEquals(0, stopped.code(), stopped.err());
      assertTrue(stopped.out().startsWith("stopped"), stopped.out());
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
      assertFalse(Files.exists(socket));

      Run none = we(env, "daemon", "status");
      assertEquals(1, none.code());
      assertTrue(none.out().startsWith("not running"), none.out());
      assertEquals(0, we(env, "daemon", "stop").code(), "stop is idempotent");
      String log = Files.readString(dir.resolve("d").resolve(
          socket.getFileName().toString().replace(".sock", ".log")));
      assertTrue(log.contains("ran 'we ssot show' exit 0"), log);
    } finally {
      we(env, "daemon", "stop");
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void autoStartsOneDaemonForTheNextLinesEvenWhenTwoLinesRaceToStartIt() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "wa");
    Path ssot = SeedData.copySsotTo(dir.resolve("work"));
    Map<String, String> manual = Map.of("CODEB_DAEMON_DIR", dir.resolve("d").toString(),
        "CODEB_SSOT", ssot.toString());
    Map<String, String> auto = new java.util.HashMap<>(manual);
    auto.put("CODEB_DAEMON", "auto");
    try {
      DaemonClient.startIfAuto(new String[] {"ssot", "show"}, manual);
      assertFalse(Files.exists(dir.resolve("d")), "without CODEB_DAEMON=auto nothing starts");

      DaemonClient.startIfAuto(new String[] {"ssot", "show"}, auto);
      DaemonClient.startIfAuto(new String[] {"ssot", "check"}, auto);
      long deadline = System.nanoTime() + 30_000_000_000L;
      Run status;
      do {
        Thread.sleep(100);
        status = we(manual, "daemon", "status", "--json");
      } while (status.code() != 0 && System.nanoTime() < deadline);
      assertEquals(0, status.code(), "an auto-started daemon answers: " + status.out());
      Path log;
      try (var logs = Files.list(dir.resolve("d"))) {
        log = logs.filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow();
      }
      deadline = System.nanoTime() + 30_000_000_000L;
      while (!Files.readString(log).contains("already runs") && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      String text = Files.readString(log);
      assertEquals(1, text.split("we daemon: started", -1).length - 1, text);
      assertTrue(text.contains("a we daemon already runs"), "the second one gave way: " + text);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertEquals(OptionalInt.of(0), DaemonClient.tryRun(new String[] {"ssot", "show"}, auto,
          out, new ByteArrayOutputStream()));
    } finally {
      we(manual, "daemon", "stop");
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void aZeroIdleTimeoutIsBadInput() {
    Run r = we(Map.of("CODEB_DAEMON_DIR", "/tmp/unused-daemon-dir"), "daemon", "start",
        "--idle-timeout", "0");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--idle-timeout must be more than 0"), r.err());
    assertFalse(Files.exists(Path.of("/tmp/unused-daemon-dir")), "nothing was created");
  }
}
