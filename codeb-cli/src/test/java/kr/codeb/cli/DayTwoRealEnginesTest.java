package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import kr.codeb.ProviderRegistry;
import kr.codeb.deploy.Actor;
import kr.codeb.env.EnvFile;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploy hooks and maintenance mode against the real engines of {@link DbRealEnginesTest}'s
 * fleet (app server on the main dockerd, the project's Postgres on the storage server), with
 * traffic through the real Caddy: a migration in the pre-deploy hook creates a table before the
 * new slot starts; a failing migration keeps the old release serving under keep-alive and wrk
 * load with no failed request; maintenance on and off loses no request in flight (new connections
 * see no failure at all); {@code we exec -t} gives
 * the command a terminal when {@code we} runs in one (a pseudo-terminal from {@code script}).
 */
class DayTwoRealEnginesTest {
  static final String ENV = DbRealEnginesTest.ENV;
  static final String PSQL = "/usr/lib/postgresql/15/bin/psql";
  static final String MIGRATION = PSQL + " \"$DATABASE_URL\" -v ON_ERROR_STOP=1 -c"
      + " 'CREATE TABLE migrated_items (id int primary key)'; echo \"url=$DATABASE_URL\"";

  @TempDir Path dir;
  Path ssot;
  Path envDir;
  String project;
  String firewallName;
  int storageStart;
  String host;
  int caddyPort;
  String proxyUri = DbRealEnginesTest.proxyUri();
  final List<String> outputs = new ArrayList<>();

  @BeforeEach
  void fleet() throws IOException {
    String suffix = String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    project = "hk-" + suffix;
    firewallName = "hktest-" + suffix;
    host = project + ".test";
    storageStart = 50000 + ThreadLocalRandom.current().nextInt(900) * 10;
    int appStart = RealDeployHarness.freeBlockFrom(47600);
    ssot = WeRunner.write(dir.resolve("ssot.json"), ("{\"version\":\"7.0.0\",\"portRanges\":{\""
        + ENV + "\":{\"start\":" + appStart + ",\"end\":" + (appStart + 19) + "}},"
        + "\"projects\":{},\"ports\":{\"allocated\":{}}}\n").getBytes(StandardCharsets.UTF_8));
    envDir = Files.createDirectories(dir.resolve("env"));
    caddyPort = Integer.parseInt(TestEngines.require("CODEB_TEST_CADDY_HTTP_PORT").strip());
  }

  /** A config file: the fleet, plus {@code extra} (the hooks). */
  Path config(String name, String extra) throws IOException {
    return Files.writeString(dir.resolve(name),
        LoopbackFleet.yaml(ssot.toString(), envDir.toString(), DbRealEnginesTest.GROUP) + extra);
  }

  WeRunner.Result we(Path config, String... args) {
    List<String> all = new ArrayList<>(List.of("--config", config.toString()));
    all.addAll(List.of(args));
    Map<String, String> env = new HashMap<>();
    env.put("CODEB_FIREWALL", "mem:" + firewallName + "?groups=" + DbRealEnginesTest.GROUP);
    env.put("CODEB_DB_DIR", dir.resolve("storage").toString());
    env.put("CODEB_PROXY", proxyUri);
    WeRunner.Result r = WeRunner.run(env, all.toArray(String[]::new));
    outputs.add(r.out());
    outputs.add(r.err());
    return r;
  }

  WeRunner.Result deploy(Path config, String version, String... more) {
    List<String> all = new ArrayList<>(List.of("deploy", project, "--env", ENV, "--image",
        TestEngines.require("CODEB_TEST_DB_APP_IMAGE").strip(), "--host", host, "--drain",
        "1s", "--health-timeout", "60s", "-e", "APP_VERSION=" + version, "--json"));
    all.addAll(List.of(more));
    return we(config, all.toArray(String[]::new));
  }

  static String get(int port, String path) throws Exception {
    HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.11:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, answer.statusCode(), answer.body());
    return answer.body().strip();
  }

  @AfterEach
  void cleanUp() {
    try (ContainerRuntime app = DbRealEnginesTest.engine("CODEB_TEST_DOCKER_HOST")) {
      app.list(Map.of("codeb.project", project)).forEach(c -> app.remove(c.id()));
    }
    try (ReverseProxy proxy = ProviderRegistry.load(name -> null)
        .reverseProxy(DbRealEnginesTest.proxyUri())) {
      proxy.remove(project + "-" + ENV);
    }
    try (ContainerRuntime storage = DbRealEnginesTest.engine("CODEB_TEST_STORAGE_DOCKER_HOST")) {
      for (ContainerInfo c : storage.list(Map.of("codeb.project", project))) {
        storage.remove(c.id());
      }
      storage.removeVolume(project + "-" + ENV + "-postgres-data");
    }
  }

  @Test
  void aMigrationRunsBeforeTheNewSlotAndAFailingOneKeepsTheOldReleaseServing() throws Exception {
    Path plain = config("fleet.yaml", "");
    we(plain, "ssot", "allocate", project, "--env", ENV).expect(0);
    we(plain, "ssot", "range", "set", "storage", storageStart + "-" + (storageStart + 9))
        .expect(0);
    we(plain, "db", "create", project, "--env", ENV, "--kind", "postgres", "--version", "15",
        "--image", DbRealEnginesTest.image(), "--json").expect(0);
    String url = EnvFile.parse(Files.readAllBytes(envDir.resolve(project + "-" + ENV + ".env")))
        .get("DATABASE_URL").orElseThrow();
    String password = DbRealEnginesTest.password(URI.create(url));

    JsonNode first = deploy(plain, "v1").expect(0).json();
    assertEquals("", get(first.get("port").asInt(), "/db/tables"), "no table yet");

    Path withHooks = config("hooks.yaml", "projects:\n  " + project + ":\n    environments:\n"
        + "      " + ENV + ":\n        hooks:\n"
        + "          pre-deploy: '" + MIGRATION.replace("'", "''") + "'\n"
        + "          timeout: 2m\n");
    WeRunner.Result migrated = deploy(withHooks, "v2").expect(0);
    JsonNode second = migrated.json();
    assertEquals("deployed", second.get("outcome").asText(), migrated.out());
    List<String> steps = migrated.err().lines().toList();
    int hookLine = indexOf(steps, "we: pre-deploy: CREATE TABLE");
    int startLine = indexOf(steps, "we: starting " + project + "-" + ENV + "-green");
    assertTrue(hookLine >= 0 && startLine > hookLine, migrated.err());
    assertTrue(migrated.err().contains("we: pre-deploy: url=[redacted]"), migrated.err());
    assertEquals("migrated_items", get(second.get("port").asInt(), "/db/tables"));
    assertEquals("1", get(second.get("port").asInt(), "/db"));
    assertEquals("v2", ProxyTraffic.get(caddyPort, host, "/").body());

    // A failing migration under three loads: keep-alive, new connections and wrk.
    try (ProxyTraffic.Load kept = ProxyTraffic.Load.keepAlive(caddyPort, host, Set.of("v2"));
        ProxyTraffic.Load fresh = ProxyTraffic.Load.newConnections(caddyPort, host,
            Set.of("v2"));
        Wrk wrk = Wrk.start(caddyPort, host, 20)) {
      awaitRequests(kept);
      WeRunner.Result broken = deploy(withHooks, "v3", "--pre-deploy",
          PSQL + " \"$DATABASE_URL\" -v ON_ERROR_STOP=1 -c 'CREATE TABLE broken_items ('")
          .expect(1);
      JsonNode failed = broken.json();
      assertEquals("failed", failed.get("outcome").asText());
      String reason = failed.get("reason").asText();
      assertTrue(reason.matches("the pre-deploy hook exited with [0-9]+") && !reason.endsWith(
          " 0"), broken.out());
      assertTrue(failed.get("logTail").asText().contains("syntax error"), broken.out());
      assertEquals("green", failed.get("live").asText());
      assertTrue(broken.err().contains("we: pre-deploy: ERROR:") && broken.err().contains(
          "syntax error"), broken.err());
      String report = wrk.await();
      System.out.println("wrk during the failing migration:\n" + report);
      assertTrue(report.contains("requests in"), report);
      assertFalse(report.contains("Socket errors"), report);
      assertFalse(report.contains("Non-2xx or 3xx responses"), report);
      assertEquals("v2", ProxyTraffic.get(caddyPort, host, "/").body());
      assertEquals("migrated_items", get(second.get("port").asInt(), "/db/tables"),
          "the failed migration created nothing");
      kept.close();
      fresh.close();
      for (ProxyTraffic.Load load : List.of(kept, fresh)) {
        System.out.println(load.summary());
        assertEquals(0, load.failed(), load.summary());
        assertEquals(0, load.wrong.get(), load.summary());
        assertTrue(load.good.get() >= 20, load.summary());
      }
    }
    JsonNode slot = we(plain, "slot", project, "--env", ENV, "--json").expect(0).json();
    JsonNode history = slot.get("history");
    JsonNode last = history.get(history.size() - 1);
    assertEquals("failed", last.get("outcome").asText(), history.toString());
    assertTrue(last.get("message").asText().startsWith("the pre-deploy hook exited with "),
        history.toString());

    // A local pre-deploy script, then a failing post-deploy hook that asks for a rollback.
    Path hooks = Files.createDirectories(dir.resolve("hooks"));
    Path seen = dir.resolve("local.env");
    Path script = Files.writeString(hooks.resolve("pre-deploy"), "#!/bin/sh\n"
        + "env | grep -E '^(CODEB_|DATABASE_URL)' | sort > '" + seen + "'\n");
    Files.setPosixFilePermissions(script,
        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    WeRunner.Result back = deploy(config("local.yaml", "hooksDir: " + hooks + "\n"), "v4",
        "--post-deploy", "echo cache warm-up failed; exit 2",
        "--rollback-on-post-deploy-failure").expect(1);
    JsonNode rolled = back.json();
    assertEquals("failed", rolled.get("outcome").asText(), back.out());
    assertEquals("green", rolled.get("live").asText(), back.out());
    assertTrue(rolled.get("reason").asText().startsWith("the post-deploy hook exited with 2;"
        + " traffic moved back to green"), back.out());
    assertTrue(back.err().contains("we: post-deploy: cache warm-up failed"), back.err());
    assertEquals("v2", ProxyTraffic.get(caddyPort, host, "/").body());
    assertEquals("CODEB_ACTOR=" + Actor.current() + "\n"
        + "CODEB_ENV=" + ENV + "\nCODEB_HOOK=pre-deploy\n"
        + "CODEB_IMAGE=" + TestEngines.require("CODEB_TEST_DB_APP_IMAGE").strip() + "\n"
        + "CODEB_PORT=" + rolled.get("port").asInt() + "\nCODEB_PROJECT=" + project + "\n"
        + "CODEB_RELEASE=" + rolled.get("release").asText() + "\nCODEB_SLOT=blue\n",
        Files.readString(seen), "the local hook's variables, and no DATABASE_URL");
    history = we(plain, "slot", project, "--env", ENV, "--json").expect(0).json()
        .get("history");
    assertEquals("failed", history.get(history.size() - 1).get("outcome").asText());
    try (ContainerRuntime app = DbRealEnginesTest.engine("CODEB_TEST_DOCKER_HOST")) {
      assertTrue(app.list(Map.of("codeb.project", project, "codeb.hook", "pre-deploy"))
          .isEmpty(), "no hook container left");
    }
    for (String output : outputs) {
      assertFalse(output.contains(password), "a password was printed:\n" + output);
      assertFalse(output.contains(url), "the database URL was printed:\n" + output);
    }
  }

  /** How many on/off cycles each maintenance form goes through under load. */
  static final int CYCLES = 6;

  /**
   * Maintenance on and off under load, {@value #CYCLES} cycles in each form: in files
   * ({@code maintenance_dir}, no config change) no request fails on keep-alive connections, new
   * connections or wrk's; the config form, run after it as the baseline, is reported (its
   * reloads close idle keep-alive connections).
   */
  @Test
  void maintenanceOnAndOffUnderLoadLosesNoRequestInFlight() throws Exception {
    Path plain = config("fleet.yaml", "");
    proxyUri = DbRealEnginesTest.proxyUri() + "&maintenance_dir=" + dir.resolve("maintenance");
    we(plain, "ssot", "allocate", project, "--env", ENV).expect(0);
    deploy(plain, "v1").expect(0);
    String message = "Back in a minute " + project;
    we(plain, "maintenance", "on", project, "--env", ENV, "--message", message,
        "--retry-after", "30").expect(0);
    assertTrue(we(plain, "maintenance", "on", project, "--env", ENV, "--message", message,
        "--retry-after", "30").expect(0).out().contains("already"), "idempotent on");
    ProxyTraffic.Answer down = ProxyTraffic.get(caddyPort, host, "/");
    assertEquals(503, down.status());
    assertTrue(down.body().contains(message), down.body());
    String slot = we(plain, "slot", project, "--env", ENV).expect(0).out();
    assertTrue(slot.contains("maintenance: ON (503, Retry-After 30 s: " + message + ")"), slot);
    we(plain, "maintenance", "off", project, "--env", ENV).expect(0);
    assertTrue(we(plain, "maintenance", "off", project, "--env", ENV).expect(0).out()
        .contains("already"), "idempotent off");
    assertTrue(we(plain, "slot", project, "--env", ENV).expect(0).out()
        .contains("maintenance: off"));
    assertEquals("v1", ProxyTraffic.get(caddyPort, host, "/").body());

    String files = cycles(plain, message, "files");
    proxyUri = DbRealEnginesTest.proxyUri();
    String config = cycles(plain, message, "config");
    System.out.println("maintenance under load, " + CYCLES + " on/off cycles:\n  maintenance_dir: "
        + files + "\n  config change (baseline): " + config);
  }

  /**
   * {@value #CYCLES} cycles of on (0.5 s) and off (0.5 s) under a keep-alive client, a
   * new-connection client and wrk (8 keep-alive connections); checks every answer is 200 from
   * the live slot or the 503 page and, for {@code form} "files", that none failed (the config
   * form is the baseline: its failures are only counted).
   */
  private String cycles(Path config, String message, String form) throws Exception {
    StringBuilder figures = new StringBuilder();
    Path script = WrkStatuses.script(dir);
    try (ProxyTraffic.Load kept = ProxyTraffic.Load.keepAlive(caddyPort, host, Set.of("v1"));
        ProxyTraffic.Load fresh = ProxyTraffic.Load.newConnections(caddyPort, host,
            Set.of("v1"));
        Wrk wrk = Wrk.start(caddyPort, host, 300, script)) {
      awaitRequests(kept);
      for (int i = 0; i < CYCLES; i++) {
        we(config, "maintenance", "on", project, "--env", ENV, "--message", message,
            "--retry-after", "30").expect(0);
        Thread.sleep(500);
        we(config, "maintenance", "off", project, "--env", ENV).expect(0);
        Thread.sleep(500);
      }
      String wrkOut = wrk.stop();
      kept.close();
      fresh.close();
      WrkStatuses counted = WrkStatuses.parse(wrkOut);
      figures.append("wrk ").append(counted);
      assertTrue(counted.s503() > 0 && counted.s200() > 0, wrkOut);
      for (ProxyTraffic.Load load : List.of(kept, fresh)) {
        figures.append("; ").append(load.name).append(" total=").append(load.total.get())
            .append(" 503=").append(load.badStatus.get()).append(" errors=")
            .append(load.errors.get()).append(" stale=").append(load.stale.get());
        assertEquals(0, load.wrong.get(), load.summary());
        int maintenance = 0;
        for (Map.Entry<String, Integer> a : load.answers().entrySet()) {
          if (a.getKey().startsWith("503 ")) {
            assertTrue(a.getKey().contains(message), a.getKey());
            maintenance += a.getValue();
          } else {
            assertEquals("200 v1", a.getKey(), load.summary());
          }
        }
        assertTrue(maintenance > 0, "the maintenance page was seen: " + load.summary());
        assertEquals(maintenance, load.badStatus.get(), load.summary());
        assertTrue(load.good.get() > 0, load.summary());
        if (form.equals("files")) {
          // No config change: nothing fails, on any kind of connection.
          assertEquals(0, load.errors.get(), load.summary());
          assertEquals(0, load.stale.get(), form + ": " + load.summary());
        }
      }
      if (form.equals("files")) {
        assertEquals(0, counted.other() + counted.errors(), wrkOut);
      }
    }
    return figures.toString();
  }

  @Test
  void execGivesATerminalOnlyWithTAndPassesTheExitCodeThrough() throws Exception {
    Path plain = config("fleet.yaml", "");
    we(plain, "ssot", "allocate", project, "--env", ENV).expect(0);
    deploy(plain, "v1").expect(0);
    WeRunner.Result plainExec = we(plain, "exec", project, "--env", ENV, "--", "sh", "-c",
        "if test -t 0 || test -t 1; then echo terminal; else echo no-terminal; fi; exit 5");
    plainExec.expect(5);
    assertEquals("no-terminal", plainExec.out().strip());

    Terminal tty = inTerminal(plain, "", "exec", project, "--env", ENV, "-t", "--", "sh", "-c",
        "test -t 0 && test -t 1 && tty; exit 7");
    assertEquals(7, tty.exitCode(), tty.output());
    assertTrue(tty.output().contains("/dev/pts/"), tty.output());

    Terminal interactive = inTerminal(plain, "hello from the keyboard\r", "exec", project,
        "--env", ENV, "-it", "--", "sh", "-c", "read line; echo \"got:$line\"; exit 4");
    assertEquals(4, interactive.exitCode(), interactive.output());
    assertTrue(interactive.output().contains("got:hello from the keyboard"),
        interactive.output());

    Terminal none = inTerminal(plain, "", "exec", project, "--env", ENV, "--", "sh", "-c",
        "test -t 0; echo \"stdin-terminal=$?\"; exit 0");
    assertEquals(0, none.exitCode(), none.output());
    assertTrue(none.output().contains("stdin-terminal=1"), none.output());
  }

  record Terminal(int exitCode, String output) {}

  /**
   * Runs {@code we ARGS} in a new JVM inside a pseudo-terminal ({@code script -qec}), typing
   * {@code input} into it; the exit code is {@code we}'s.
   */
  Terminal inTerminal(Path config, String input, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), "kr.codeb.cli.Main", "--config",
        config.toString()));
    command.addAll(List.of(args));
    StringBuilder line = new StringBuilder();
    for (String word : command) {
      line.append('\'').append(word.replace("'", "'\\''")).append("' ");
    }
    Path out = dir.resolve("terminal-" + System.nanoTime() + ".txt");
    ProcessBuilder pb = new ProcessBuilder("script", "-qec", line.toString(), "/dev/null")
        .redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("CODEB_FIREWALL", "mem:" + firewallName + "?groups="
        + DbRealEnginesTest.GROUP);
    pb.environment().put("CODEB_PROXY", DbRealEnginesTest.proxyUri());
    Process p = pb.start();
    try (var stdin = p.getOutputStream()) {
      Thread.sleep(input.isEmpty() ? 0 : 4000); // typed once the command waits for it
      stdin.write(input.getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      assertTrue(p.waitFor(2, TimeUnit.MINUTES), "we exec in a terminal did not end");
    } finally {
      p.destroyForcibly();
    }
    String output = Files.readString(out);
    outputs.add(output);
    return new Terminal(p.exitValue(), output);
  }

  private static int indexOf(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  private static void awaitRequests(ProxyTraffic.Load load) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (load.good.get() < 20 && System.nanoTime() < until) {
      Thread.sleep(50);
    }
    assertTrue(load.good.get() >= 20, load.summary());
  }

  /** wrk on the proxy's port with the route's host, for a fixed number of seconds. */
  static final class Wrk implements AutoCloseable {
    private final Process process;
    private final Path output;

    private Wrk(Process process, Path output) {
      this.process = process;
      this.output = output;
    }

    static Wrk start(int port, String host, int seconds) throws IOException {
      return start(port, host, seconds, null);
    }

    /** With a Lua {@code script} ({@link WrkStatuses}), or none when null. */
    static Wrk start(int port, String host, int seconds, Path script) throws IOException {
      Path output = Files.createTempFile("codeb-wrk", ".txt");
      List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c8", "-d" + seconds + "s",
          "--timeout", "30s", "-H", "Host: " + host));
      if (script != null) {
        command.addAll(List.of("-s", script.toString()));
      }
      command.add("http://127.0.0.1:" + port + "/");
      Process p = new ProcessBuilder(command)
          .redirectErrorStream(true).redirectOutput(output.toFile()).start();
      return new Wrk(p, output);
    }

    /** Stops wrk early (SIGINT: it still prints its figures) and returns its output. */
    String stop() throws Exception {
      assertEquals(0, new ProcessBuilder("kill", "-INT", String.valueOf(process.pid()))
          .start().waitFor());
      return await();
    }

    String await() throws Exception {
      assertTrue(process.waitFor(2, TimeUnit.MINUTES), "wrk did not end");
      assertEquals(0, process.exitValue(), Files.readString(output));
      return Files.readString(output);
    }

    @Override
    public void close() throws IOException {
      process.destroyForcibly();
      Files.deleteIfExists(output);
    }
  }
}
