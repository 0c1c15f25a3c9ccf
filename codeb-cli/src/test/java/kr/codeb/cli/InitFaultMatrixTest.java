package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code we init}'s eight steps × four faults on one shared loopback fleet (app1 = sshd-a and
 * the main dockerd, db1 = sshd-c and the storage dockerd, edge = sshd-b with Caddy and
 * PowerDNS behind {@link FaultProxy}s, the firewall on a {@link VultrStandIn}). Each cell, with
 * a project of its own: inject the fault, run {@code we init} in its own JVM (it must fail
 * naming the step, or die by SIGKILL), restore, run again (exit 0), run once more (nothing to
 * do), check the end state is the clean run's (one of each thing, journal all done), then
 * {@code we destroy} and check nothing of the project is left. The table of what each fault
 * means per step is {@link #cells()}; results go to {@code target/init-fault-matrix.md}.
 */
class InitFaultMatrixTest {
  static final String ENV = "production";
  static final String GROUP_NAME = "fm-storage";
  static final Pattern FAILED = Pattern.compile("init step (\\d+)/\\d+ \\((\\w+)");

  @TempDir static Path dir;
  static VultrStandIn vultr;
  static FaultProxy pdnsProxy;
  static FaultProxy caddyProxy;
  static String groupId;
  static Path ssot;
  static Path config;
  static final Map<String, String> RESULTS = new TreeMap<>();
  /**
   * The cells CI runs (CI=true without CODEB_FAULT_MATRIX): one per fault kind, on different
   * steps and different systems (the SSOT lock's deadline, SSH opened lazily, the firewall
   * provider read by step 4 only, an engine call's deadline, a kill inside a write).
   */
  static final List<String> CI_CELLS = List.of("1 TIMEOUT", "3 STOP", "4 ERROR_5XX_429",
      "2 TIMEOUT", "6 SIGKILL");
  /** How long {@code we} waits for the SSOT lock in the matrix (default 30 s). */
  static final String LOCK_WAIT = "5s";
  /** The storage engine's call timeout in the matrix (default 60 s). */
  static final String CALL_TIMEOUT = "15s";

  enum Kind { STOP, ERROR_5XX_429, TIMEOUT, SIGKILL }

  /** How a fault is put on one step's system and taken off again. */
  interface Injection {
    /** Before the run; returns the restore. */
    Runnable inject() throws Exception;
  }

  record Cell(int step, String id, Kind kind, String how, Injection injection) {
    @Override
    public String toString() {
      return step + " " + id + " × " + kind + " (" + how + ")";
    }
  }

  @BeforeAll
  static void fleet() throws IOException {
    // The whole matrix (about 10 minutes) with CODEB_FAULT_MATRIX=1, some steps with
    // CODEB_FAULT_MATRIX_STEPS=4,6; in CI (CI=true) the CI_CELLS subset, about 2 minutes.
    Assumptions.assumeTrue(System.getenv("CODEB_FAULT_MATRIX") != null
        || System.getenv("CODEB_FAULT_MATRIX_STEPS") != null
        || "true".equals(System.getenv("CI")),
        "the fault matrix runs with CODEB_FAULT_MATRIX=1, or its CI subset with CI=true"
            + " (docs/init.md, Fault matrix)");
    vultr = new VultrStandIn();
    groupId = vultr.createGroup(GROUP_NAME);
    pdnsProxy = proxyTo(TestEngines.require("CODEB_TEST_PDNS_API"));
    caddyProxy = proxyTo(TestEngines.require("CODEB_TEST_CADDY_ADMIN"));
    int appStart = RealDeployHarness.freeBlockFrom(47800);
    int storageStart = 51000 + ThreadLocalRandom.current().nextInt(400) * 20;
    ssot = WeRunner.write(dir.resolve("ssot.json"), ("{\"version\":\"7.0.0\",\"portRanges\":{\""
        + ENV + "\":{\"start\":" + appStart + ",\"end\":" + (appStart + 199) + "},"
        + "\"storage\":{\"start\":" + storageStart + ",\"end\":" + (storageStart + 199) + "}},"
        + "\"projects\":{},\"ports\":{\"allocated\":{}}}\n").getBytes(StandardCharsets.UTF_8));
    Files.createDirectories(dir.resolve("env"));
    String https = TestEngines.require("CODEB_TEST_CADDY_HTTPS_PORT").strip();
    String yaml = "ssot: " + ssot + "\n"
        + "envDir: " + dir.resolve("env") + "\n"
        + "providers:\n"
        + "  firewall: " + vultr.uri() + "?attempts=2\n"
        + "ssh:\n"
        + "  user: " + TestEngines.require("CODEB_TEST_SSH_USER") + "\n"
        + "  key: " + TestEngines.require("CODEB_TEST_SSH_KEY") + "\n"
        + "  knownHosts: " + TestEngines.require("CODEB_TEST_SSH_KNOWN_HOSTS") + "\n"
        + "servers:\n"
        + "  - name: app1\n    roles: [app]\n    public: 127.0.0.11\n    private: 127.0.0.11\n"
        + "    publish: 127.0.0.11\n    ssh: 127.0.0.11:" + TestEngines.require("CODEB_TEST_SSH_PORT_A").strip() + "\n"
        + "    engines:\n      runtime: docker+" + TestEngines.require("CODEB_TEST_DOCKER_HOST").strip() + "\n"
        + "  - name: db1\n    roles: [storage]\n    public: 127.0.0.13\n"
        + "    private: " + TestEngines.require("CODEB_TEST_STORAGE_PRIVATE_ADDRESS").strip() + "\n"
        + "    firewallGroup: " + groupId + "\n"
        + "    ssh: 127.0.0.13:" + TestEngines.require("CODEB_TEST_SSH_PORT_C").strip() + "\n"
        + "    engines:\n      runtime: docker+" + TestEngines.require("CODEB_TEST_STORAGE_DOCKER_HOST").strip()
        + "?call-timeout=" + CALL_TIMEOUT + "\n"
        + "  - name: edge\n    roles: [edge]\n    public: 127.0.0.12\n    private: 127.0.0.12\n"
        + "    ssh: 127.0.0.12:" + TestEngines.require("CODEB_TEST_SSH_PORT_B").strip() + "\n"
        + "    engines:\n"
        + "      proxy: caddy+" + caddyProxy.url() + "?listen=127.0.0.1:" + https
        + "&server=codeb-fm&tls=internal\n"
        + "      dns: powerdns+" + pdnsProxy.url() + "?server=localhost\n";
    config = WeRunner.write(dir.resolve("fleet.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
  }

  static FaultProxy proxyTo(String url) throws IOException {
    java.net.URI u = java.net.URI.create(url.strip());
    return new FaultProxy(u.getHost(), u.getPort());
  }

  @AfterAll
  static void report() throws IOException {
    if (vultr == null) {
      return;
    }
    StringBuilder md = new StringBuilder("| cell | failed as expected | converged |\n|---|---|---|\n");
    RESULTS.forEach((cell, result) -> md.append("| ").append(cell).append(" | ").append(result)
        .append(" |\n"));
    Path out = Path.of("target", "init-fault-matrix.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, md.toString());
    vultr.close();
    pdnsProxy.close();
    caddyProxy.close();
    // The matrix's Caddy server holds the HTTPS listener: gone, so that the next test (e.g.
    // InitRealEnginesTest, in the same CI run) can make a server of its own on it.
    String admin = TestEngines.require("CODEB_TEST_CADDY_ADMIN").strip();
    for (String path : List.of("/config/apps/http/servers/codeb-fm", "/id/codeb-tls-codeb-fm")) {
      TestEnvDaemons.run(List.of("curl", "-s", "-o", "/dev/null", "-X", "DELETE", admin + path));
    }
    assertEquals("", TestEnvDaemons.run(List.of("curl", "-s", admin
        + "/config/apps/http/servers/codeb-fm")).replace("null", "").strip(),
        "the matrix's Caddy server is removed");
  }

  static Map<String, String> env() {
    return Map.of("CODEB_VULTR_API_KEY", VultrStandIn.KEY,
        "CODEB_POWERDNS_API_KEY", TestEngines.require("CODEB_TEST_PDNS_API_KEY").strip(),
        "CODEB_DB_DIR", dir.resolve("db").toString(), "CODEB_DAEMON", "off",
        "CODEB_SSOT_LOCK_WAIT", LOCK_WAIT);
  }

  static List<String> initArgs(String project, Path repo) {
    return List.of("--config", config.toString(), "init", project, "--domain", domain(project),
        "--env", ENV, "--with", "postgres,redis", "--repo", repo.toString(),
        "--db-image", TestEngines.require("CODEB_TEST_DB_IMAGE").strip(),
        "--tls-check", "127.0.0.1:" + TestEngines.require("CODEB_TEST_CADDY_HTTPS_PORT").strip(),
        "--tls-timeout", "20s");
  }

  static String domain(String project) {
    return "www." + project + ".codeb-fm.test";
  }

  static Runnable daemon(TestEnvDaemons.Fault fault) {
    return fault::restore;
  }

  static Runnable proxy(FaultProxy p, FaultProxy.Mode mode) {
    p.mode(mode);
    return () -> p.mode(FaultProxy.Mode.PASS);
  }

  static Runnable vultrFault(VultrStandIn.Fault fault) {
    vultr.fault(fault);
    return () -> vultr.fault(VultrStandIn.Fault.NONE);
  }

  /** Another process's lock on the SSOT: {@code we} waits for it (a stuck writer). */
  static Runnable ssotLocked() throws IOException {
    FileChannel channel = FileChannel.open(dir.resolve("ssot.json.lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    FileLock lock = channel.lock();
    return () -> {
      try {
        lock.release();
        channel.close();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    };
  }

  /** The SSOT file swapped for a folder of the same name: unreadable, as a failed disk would be. */
  static Runnable ssotUnreadable() throws IOException {
    Path aside = dir.resolve("ssot.json.aside");
    Files.move(ssot, aside);
    Files.createDirectory(ssot);
    return () -> {
      try {
        Files.delete(ssot);
        Files.move(aside, ssot);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    };
  }

  /**
   * The 32 cells. Where a fault has no meaning for a step the nearest real one is used, and
   * {@code how} says which (docs/init.md, "Fault matrix").
   */
  static Stream<Arguments> cells() {
    List<Cell> c = new ArrayList<>();
    // 1 ports: a local SSOT file, no engine and no HTTP.
    c.add(new Cell(1, "ports", Kind.STOP, "SSOT file unreadable (a folder in its place)", InitFaultMatrixTest::ssotUnreadable));
    c.add(new Cell(1, "ports", Kind.ERROR_5XX_429, "n/a for a file: SSOT file unreadable", InitFaultMatrixTest::ssotUnreadable));
    c.add(new Cell(1, "ports", Kind.TIMEOUT, "SSOT lock held by another process", InitFaultMatrixTest::ssotLocked));
    c.add(new Cell(1, "ports", Kind.SIGKILL, "kill -9 at the step's start line", () -> () -> { }));
    // 2 databases: the storage server's sshd and dockerd.
    c.add(new Cell(2, "databases", Kind.STOP, "storage dockerd stopped", () -> daemon(TestEnvDaemons.stop("docker-storage"))));
    c.add(new Cell(2, "databases", Kind.ERROR_5XX_429, "no HTTP hop: storage sshd stopped", () -> daemon(TestEnvDaemons.stop("sshd-c"))));
    c.add(new Cell(2, "databases", Kind.TIMEOUT, "storage dockerd frozen (SIGSTOP)", () -> daemon(TestEnvDaemons.freeze("docker-storage"))));
    c.add(new Cell(2, "databases", Kind.SIGKILL, "kill -9 1.5 s into the step (containers starting)", () -> () -> { }));
    // 3 env: the app server's sshd (SFTP).
    // Step 1 reads the app server's engine too (the ports its containers publish): these
    // faults go on once step 2 has started, with the open connections (see MID_RUN).
    c.add(new Cell(3, "env", Kind.STOP, "app server sshd stopped with its connections", () -> daemon(TestEnvDaemons.stopWithSessions("sshd-a"))));
    c.add(new Cell(3, "env", Kind.ERROR_5XX_429, "no HTTP hop: app server sshd stopped with its connections", () -> daemon(TestEnvDaemons.stopWithSessions("sshd-a"))));
    c.add(new Cell(3, "env", Kind.TIMEOUT, "app server sshd frozen (SIGSTOP) with its connections", () -> daemon(TestEnvDaemons.freezeWithSessions("sshd-a"))));
    c.add(new Cell(3, "env", Kind.SIGKILL, "kill -9 at the step's start line", () -> () -> { }));
    // 4 firewall: the Vultr stand-in.
    c.add(new Cell(4, "firewall", Kind.STOP, "stand-in not listening", () -> {
      vultr.stop();
      return () -> {
        try {
          vultr.restart();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      };
    }));
    c.add(new Cell(4, "firewall", Kind.ERROR_5XX_429, "every request 503", () -> vultrFault(VultrStandIn.Fault.HTTP_503)));
    c.add(new Cell(4, "firewall", Kind.TIMEOUT, "every request held", () -> vultrFault(VultrStandIn.Fault.STALL)));
    c.add(new Cell(4, "firewall", Kind.SIGKILL, "kill -9 while the rule's POST hangs", () -> vultrFault(VultrStandIn.Fault.STALL_WRITES)));
    // 5 dns: PowerDNS behind its proxy.
    c.add(new Cell(5, "dns", Kind.STOP, "pdns_server stopped", () -> daemon(TestEnvDaemons.stop("pdns"))));
    c.add(new Cell(5, "dns", Kind.ERROR_5XX_429, "PowerDNS API answers 503", () -> proxy(pdnsProxy, FaultProxy.Mode.HTTP_503)));
    c.add(new Cell(5, "dns", Kind.TIMEOUT, "PowerDNS API never answers", () -> proxy(pdnsProxy, FaultProxy.Mode.STALL)));
    c.add(new Cell(5, "dns", Kind.SIGKILL, "kill -9 while a write to PowerDNS hangs", () -> proxy(pdnsProxy, FaultProxy.Mode.STALL_WRITES)));
    // 6 site: Caddy's admin API behind its proxy.
    c.add(new Cell(6, "site", Kind.STOP, "caddy stopped (config restored on start)", () -> daemon(TestEnvDaemons.stop("caddy"))));
    c.add(new Cell(6, "site", Kind.ERROR_5XX_429, "Caddy admin answers 429", () -> proxy(caddyProxy, FaultProxy.Mode.HTTP_429)));
    c.add(new Cell(6, "site", Kind.TIMEOUT, "Caddy admin never answers", () -> proxy(caddyProxy, FaultProxy.Mode.STALL)));
    c.add(new Cell(6, "site", Kind.SIGKILL, "kill -9 while the route's write hangs", () -> proxy(caddyProxy, FaultProxy.Mode.STALL_WRITES)));
    // 7 workflow: a local file.
    c.add(new Cell(7, "workflow", Kind.STOP, "no engine: .github is a file (cannot write)", null));
    c.add(new Cell(7, "workflow", Kind.ERROR_5XX_429, "no HTTP: .github is a file", null));
    c.add(new Cell(7, "workflow", Kind.TIMEOUT, "no I/O that can hang: .github is a file", null));
    c.add(new Cell(7, "workflow", Kind.SIGKILL, "kill -9 right after the [7/8] line, Caddy frozen"
        + " so the run cannot end first; the step takes microseconds, so the kill lands as it ends"
        + " or early in step 8", () -> daemon(TestEnvDaemons.freeze("caddy"))));
    // 8 tls: Caddy's HTTPS listener.
    c.add(new Cell(8, "tls", Kind.STOP, "caddy stopped (config restored on start)", () -> daemon(TestEnvDaemons.stop("caddy"))));
    c.add(new Cell(8, "tls", Kind.ERROR_5XX_429, "n/a for a TLS handshake: caddy frozen", () -> daemon(TestEnvDaemons.freeze("caddy"))));
    c.add(new Cell(8, "tls", Kind.TIMEOUT, "caddy frozen (SIGSTOP)", () -> daemon(TestEnvDaemons.freeze("caddy"))));
    c.add(new Cell(8, "tls", Kind.SIGKILL, "kill -9 while waiting for the certificate (caddy frozen)", () -> daemon(TestEnvDaemons.freeze("caddy"))));
    // CODEB_FAULT_MATRIX_STEPS=4,6 runs only those steps' cells (a quicker look while working)
    String only = System.getenv("CODEB_FAULT_MATRIX_STEPS");
    boolean all = System.getenv("CODEB_FAULT_MATRIX") != null;
    return c.stream().filter(cell -> only != null && !only.isBlank()
        ? List.of(only.split(",")).contains(Integer.toString(cell.step()))
        : all || CI_CELLS.contains(cell.step() + " " + cell.kind())).map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cells")
  void faultThenRerunConverges(Cell cell) throws Exception {
    String project = "fm" + cell.step() + cell.kind().ordinal()
        + String.format("%03x", ThreadLocalRandom.current().nextInt(0x1000));
    Path repo = Files.createDirectories(dir.resolve("repo-" + project));
    List<String> args = initArgs(project, repo);
    List<String> rulesBefore = vultr.rules(groupId);
    String failed = "no";
    try {
      Runnable restore;
      if (cell.step() == 7 && cell.kind() != Kind.SIGKILL) {
        Path github = repo.resolve(".github");
        Files.writeString(github, "not a folder\n");
        restore = () -> {
          try {
            Files.delete(github);
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        };
      } else if (cell.kind() == Kind.SIGKILL || cell.step() == 8 || midRun(cell)) {
        restore = () -> { };
      } else {
        restore = cell.injection().inject();
      }
      if (cell.kind() == Kind.SIGKILL) {
        failed = killDuring(cell, args);
      } else {
        try (WeProcess we = WeProcess.start(env(), args)) {
          if (cell.step() == 8) {
            // Caddy must serve step 6: the fault goes on once step 7 has started
            assertTrue(we.awaitLine(Pattern.compile("^\\[7/\\d+\\]"), Duration.ofMinutes(2)),
                we.out() + "\n" + we.err());
            restore = cell.injection().inject();
          } else if (midRun(cell)) {
            // step 1 has used the server: the fault goes on while step 2 runs
            assertTrue(we.awaitLine(Pattern.compile("^\\[2/\\d+\\]"), Duration.ofMinutes(2)),
                we.out() + "\n" + we.err());
            restore = cell.injection().inject();
          }
          int code;
          try {
            code = we.waitFor(Duration.ofSeconds(90));
          } finally {
            restore.run();
          }
          System.out.println("== " + cell + ": the faulty run, exit " + code + "\n" + we.out()
              + "\n" + we.err());
          var m = FAILED.matcher(we.err() + we.out());
          failed = code == 1 && m.find() && m.group(1).equals(Integer.toString(cell.step()))
              ? "yes (exit 1, step " + cell.step() + " named)"
              : code == 0 ? "NO (exit 0: the fault came after the run had ended)"
              : "NO (exit " + code + ", " + (m.find(0) ? "named step " + m.group(1) : "no step named") + ")";
        }
      }
      WeRunner.Result rerun = we(args);
      System.out.println("== " + cell + ": the re-run, exit " + rerun.code() + "\n" + rerun.out()
          + "\n" + rerun.err());
      rerun.expect(0);
      WeRunner.Result again = we(args).expect(0);
      assertTrue(again.out().contains("nothing to do"), again.out());
      assertConverged(project, repo);
      RESULTS.put(cell.toString(), failed + " | yes");
      assertTrue(failed.startsWith("yes"), cell + ": " + failed + "\n" + rerun.out());
    } catch (AssertionError | RuntimeException e) {
      RESULTS.putIfAbsent(cell.toString(), failed + " | NO: " + e.getMessage().lines()
          .filter(l -> !l.isBlank()).findFirst().orElse(""));
      try {
        destroyAndCheck(project, rulesBefore);
      } catch (AssertionError | RuntimeException destroyFailure) {
        e.addSuppressed(destroyFailure);
      }
      throw e;
    }
    destroyAndCheck(project, rulesBefore);
  }

  void destroyAndCheck(String project, List<String> rulesBefore) {
    WeRunner.Result destroyed = we(List.of("--config", config.toString(), "destroy", project,
        "--env", ENV, "--yes", "--delete-data"));
    System.out.println("== destroy " + project + ", exit " + destroyed.code() + "\n"
        + destroyed.out() + "\n" + destroyed.err());
    try {
      assertEquals(0, destroyed.code(), destroyed.err());
      assertGone(project);
      assertEquals(rulesBefore, vultr.rules(groupId), "destroy removes the project's rules");
    } catch (AssertionError e) {
      RESULTS.merge("~ destroy after " + project, "NO: " + e.getMessage().lines()
          .filter(l -> !l.isBlank()).findFirst().orElse(""), (a, b) -> a);
      throw e;
    } finally {
      for (String c : storageContainers(project)) {
        TestEnvDaemons.run(List.of("/usr/bin/docker", "-H", TestEngines.require(
            "CODEB_TEST_STORAGE_DOCKER_HOST").strip(), "rm", "-f", "-v", c));
      }
    }
  }

  /**
   * Whether the cell's fault goes on during the run, not before it: the app server's (step 3),
   * which step 1 uses as well. Step 2 runs for seconds (it starts the databases).
   */
  static boolean midRun(Cell cell) {
    return cell.step() == 3 && cell.kind() != Kind.SIGKILL;
  }

  /** Starts init, kills it with SIGKILL inside step k; what happened, for the table. */
  String killDuring(Cell cell, List<String> args) throws Exception {
    Runnable restore = () -> { };
    try (WeProcess we = WeProcess.start(env(), args)) {
      Pattern started = Pattern.compile("^\\[" + cell.step() + "/\\d+\\] " + cell.id());
      if (cell.step() >= 7) {
        // freeze Caddy once its route is in (step 6 done): the TLS wait then hangs
        assertTrue(we.awaitLine(Pattern.compile("^\\[7/\\d+\\]"), Duration.ofMinutes(2)), we.out());
        restore = cell.injection().inject();
      } else if (cell.step() >= 4 && cell.step() <= 6) {
        restore = cell.injection().inject(); // reads pass, the step's writes hang
      }
      if (cell.step() == 8) {
        // step 8's plan may already wait on the frozen Caddy: no line to wait for
        Thread.sleep(2000);
      } else {
        assertTrue(we.awaitLine(started, Duration.ofMinutes(2)), cell + " never started:\n"
            + we.out() + "\n" + we.err());
      }
      if (cell.step() == 2) {
        Thread.sleep(1500);
      } else if (cell.step() >= 4 && cell.step() != 7) {
        Thread.sleep(500);
      }
      we.kill9();
      int code = we.waitFor(Duration.ofSeconds(10));
      System.out.println("== " + cell + ": killed\n" + we.out() + "\n" + we.err());
      return code == 137 ? "yes (SIGKILL; journal then: " + doneSteps(args.get(3)) + " steps done)"
          : "NO (exit " + code + ")";
    } finally {
      restore.run();
    }
  }

  /** How many steps the project's journal says are done (0 without a journal). */
  static long doneSteps(String project) {
    Path file = dir.resolve("init").resolve(project + "-" + ENV + ".json");
    if (!Files.exists(file)) {
      return 0;
    }
    JsonNode steps = WeRunner.tree(file).get("steps");
    long done = 0;
    for (JsonNode step : steps) {
      done += step.get("status").asText().equals("done") ? 1 : 0;
    }
    return done;
  }

  WeRunner.Result we(List<String> args) {
    return WeRunner.run(env(), args.toArray(String[]::new));
  }

  /** One of everything a clean run makes, and a journal that says all eight steps are done. */
  void assertConverged(String project, Path repo) throws Exception {
    JsonNode journal = WeRunner.tree(dir.resolve("init").resolve(project + "-" + ENV + ".json"));
    for (JsonNode step : journal.get("steps")) {
      assertEquals("done", step.get("status").asText(), journal.toString());
    }
    assertEquals(8, journal.get("steps").size(), journal.toString());
    JsonNode registry = WeRunner.tree(ssot);
    assertTrue(registry.get("projects").has(project), registry.toString());
    String json = registry.toString();
    assertEquals(1, count(json, "\"" + project + "\":{"), "one SSOT entry: " + json);
    List<String> containers = storageContainers(project);
    assertEquals(List.of(project + "-" + ENV + "-postgres", project + "-" + ENV + "-redis"),
        containers);
    List<String> rules = vultr.rules(groupId);
    assertEquals(rules.stream().distinct().count(), rules.size(), "duplicate rules: " + rules);
    String user = project.replace('-', '_');
    String pgPort = registry.get("projects").get(project).get("services").get(ENV)
        .get("postgres").get("port").asText();
    assertEquals("1", storageExec(project + "-" + ENV + "-postgres", "psql", "-U", "postgres",
        "-p", pgPort, "-tAc", "select count(*) from pg_roles where rolname='" + user + "'").strip());
    assertEquals("1", storageExec(project + "-" + ENV + "-postgres", "psql", "-U", "postgres",
        "-p", pgPort, "-tAc", "select count(*) from pg_database where datname='" + user + "'")
        .strip());
    String envFile = Files.readString(dir.resolve("env").resolve(project + "-" + ENV + ".env"));
    assertEquals(1, count(envFile, "DATABASE_URL="), "env file keys");
    assertEquals(1, count(envFile, "REDIS_URL="), "env file keys");
    assertTrue(Files.isRegularFile(repo.resolve(".github/workflows/" + project + "-" + ENV + ".yml")));
    JsonNode zone = WeRunner.MAPPER.readTree(TestEnvDaemons.run(List.of("curl", "-fs", "-H",
        "X-API-Key: " + TestEngines.require("CODEB_TEST_PDNS_API_KEY").strip(),
        TestEngines.require("CODEB_TEST_PDNS_API").strip()
            + "/api/v1/servers/localhost/zones/codeb-fm.test.")));
    int aRecords = 0;
    for (JsonNode rrset : zone.get("rrsets")) {
      if (rrset.get("name").asText().equals(domain(project) + ".")
          && rrset.get("type").asText().equals("A")) {
        aRecords += rrset.get("records").size();
      }
    }
    assertEquals(1, aRecords, "one A record for the domain: " + zone);
    String caddy = TestEnvDaemons.run(List.of("curl", "-fs",
        TestEngines.require("CODEB_TEST_CADDY_ADMIN").strip()
        + "/config/apps/http/servers/codeb-fm/routes"));
    assertEquals(1, count(caddy, "\"" + domain(project) + "\""), "one route host in Caddy: " + caddy);
  }

  void assertGone(String project) {
    assertEquals(List.of(), storageContainers(project));
    assertTrue(Files.notExists(dir.resolve("init").resolve(project + "-" + ENV + ".json")));
  }

  static List<String> storageContainers(String project) {
    String out = TestEnvDaemons.run(List.of("/usr/bin/docker", "-H",
        TestEngines.require("CODEB_TEST_STORAGE_DOCKER_HOST").strip(), "ps", "-a", "--filter",
        "label=codeb.project=" + project, "--format", "{{.Names}}"));
    return out.lines().filter(l -> !l.isBlank()).sorted().toList();
  }

  static String storageExec(String container, String... command) {
    List<String> all = new ArrayList<>(List.of("/usr/bin/docker", "-H",
        TestEngines.require("CODEB_TEST_STORAGE_DOCKER_HOST").strip(), "exec", container));
    all.addAll(List.of(command));
    return TestEnvDaemons.run(all);
  }

  static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }
}
