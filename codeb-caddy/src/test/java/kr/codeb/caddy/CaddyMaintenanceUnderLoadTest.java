package kr.codeb.caddy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.codeb.model.IpAddress;
import kr.codeb.proxy.Maintenance;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maintenance on and off under wrk's keep-alive load, in both forms, against a Caddy this test
 * starts for itself on loopback (its own admin port, listen port and data folders) in front of an
 * upstream in this JVM: {@value #CYCLES} cycles of on (0.3 s) and off (0.3 s) each. In files
 * ({@code maintenance_dir}) no request fails; the config form, run right after as the baseline,
 * is only reported (each of its changes closes idle keep-alive connections). Needs the
 * {@code caddy} and {@code wrk} commands (scripts/test-env.sh installs both): skipped without
 * them, failed under {@code CI=true}.
 */
class CaddyMaintenanceUnderLoadTest {
  static final int CYCLES = 10;
  private static final String HOST = "maint-bench.codeb-tck.test";
  private static final String SCRIPT = """
      local threads = {}
      function setup(thread) table.insert(threads, thread) end
      function init(args) s200 = 0; s503 = 0; other = 0 end
      function response(status, headers, body)
        if status == 200 then s200 = s200 + 1
        elseif status == 503 then s503 = s503 + 1
        else other = other + 1 end
      end
      function done(summary, latency, requests)
        local a, b, c = 0, 0, 0
        for _, t in ipairs(threads) do
          a = a + t:get("s200"); b = b + t:get("s503"); c = c + t:get("other")
        end
        local e = summary.errors
        io.write(string.format("codeb-statuses s200=%d s503=%d other=%d errors=%d\\n",
          a, b, c, e.connect + e.read + e.write + e.timeout))
      end
      """;

  @TempDir static Path dir;
  private static Process caddy;
  private static HttpServer upstream;
  private static URI admin;
  private static int listen;

  @BeforeAll
  static void start() throws Exception {
    requireCommand("caddy");
    requireCommand("wrk");
    // without it the JDK's server waits for delayed ACKs (~40 ms a request on keep-alive)
    System.setProperty("sun.net.httpserver.nodelay", "true");
    upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    upstream.createContext("/", exchange -> {
      byte[] body = "v1\n".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    upstream.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    upstream.start();
    int adminPort = freePort();
    listen = freePort();
    admin = URI.create("http://127.0.0.1:" + adminPort);
    Path boot = Files.writeString(dir.resolve("boot.json"),
        "{\"admin\":{\"listen\":\"127.0.0.1:" + adminPort + "\"}}");
    ProcessBuilder pb = new ProcessBuilder("caddy", "run", "--config", boot.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("caddy.log").toFile());
    pb.environment().put("HOME", dir.toString());
    pb.environment().put("XDG_DATA_HOME", dir.resolve("data").toString());
    pb.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
    caddy = pb.start();
    HttpClient client = HttpClient.newHttpClient();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try {
        client.send(HttpRequest.newBuilder(admin.resolve("/config/")).build(),
            HttpResponse.BodyHandlers.discarding());
        break;
      } catch (IOException e) {
        assertTrue(System.nanoTime() < until && caddy.isAlive(),
            "caddy did not start: " + Files.readString(dir.resolve("caddy.log")));
        Thread.sleep(100);
      }
    }
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (caddy != null) {
      caddy.destroy();
      caddy.waitFor(10, TimeUnit.SECONDS);
    }
    if (upstream != null) {
      upstream.stop(0);
    }
  }

  /** A command on the PATH: missing fails under {@code CI=true}, else skips. */
  private static void requireCommand(String name) {
    boolean found = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "")
        .split(java.io.File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, name)));
    if (!found) {
      String message = "the " + name + " command is not installed (scripts/test-env.sh up"
          + " installs it)";
      if (TestEngines.isCi()) {
        org.junit.jupiter.api.Assertions.fail(message + "; CI=true: a missing engine fails");
      }
      org.junit.jupiter.api.Assumptions.abort(message + " (skipped; with CI=true this fails)");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static CaddyProxy proxy(String maintenanceDir) {
    return CaddyProxy.create(CaddyConfig.of(admin).withListen(List.of("127.0.0.1:" + listen))
        .withAutomaticHttps(false).withMaintenanceDir(maintenanceDir));
  }

  @Test
  void maintenanceInFilesDropsNoRequestUnderKeepAliveLoad() throws Exception {
    Route route = new Route("maint-bench", List.of(HOST),
        new Upstream(IpAddress.of("127.0.0.1"), upstream.getAddress().getPort()));
    long[] files;
    try (CaddyProxy p = proxy(dir.resolve("maintenance").toString())) {
      p.upsert(route);
      files = cycles(p, route);
    }
    long[] config;
    try (CaddyProxy p = proxy("")) {
      p.upsert(route);
      config = cycles(p, route);
    }
    System.out.println("MAINTENANCE-UNDER-LOAD " + CYCLES + " on/off cycles, wrk -t2 -c8:"
        + " maintenance_dir " + describe(files) + "; config change (baseline) "
        + describe(config));
    assertEquals(0, files[2], "non-200/503 answers with maintenance_dir: " + describe(files));
    assertEquals(0, files[3], "failed requests with maintenance_dir: " + describe(files));
    assertTrue(files[0] > 0 && files[1] > 0, describe(files));
    assertEquals(0, config[2], "the baseline answers only 200 or 503: " + describe(config));
    assertTrue(config[1] > 0, describe(config));
  }

  private static String describe(long[] c) {
    return "requests=" + (c[0] + c[1] + c[2] + c[3]) + " 200=" + c[0] + " 503=" + c[1]
        + " other=" + c[2] + " failed=" + c[3];
  }

  /** {@value #CYCLES} on/off cycles under wrk; its counts: 200, 503, other, socket errors. */
  private static long[] cycles(CaddyProxy p, Route route) throws Exception {
    Path script = Files.writeString(dir.resolve("statuses.lua"), SCRIPT);
    Path out = dir.resolve("wrk-" + System.nanoTime() + ".txt");
    List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c8", "-d120s", "--timeout",
        "30s", "-H", "Host: " + HOST, "-s", script.toString(), "http://127.0.0.1:" + listen + "/"));
    Process wrk = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(out.toFile()).start();
    try {
      Thread.sleep(500);
      Maintenance mode = new Maintenance("Back soon", Duration.ofSeconds(30));
      for (int i = 0; i < CYCLES; i++) {
        p.maintenanceOn(route.id(), mode);
        Thread.sleep(300);
        assertTrue(p.maintenanceOff(route.id()));
        Thread.sleep(300);
      }
      assertEquals(0, new ProcessBuilder("kill", "-INT", String.valueOf(wrk.pid())).start()
          .waitFor());
      assertTrue(wrk.waitFor(60, TimeUnit.SECONDS), "wrk did not stop");
    } finally {
      wrk.destroyForcibly();
    }
    String text = Files.readString(out);
    Matcher m = Pattern.compile(
        "codeb-statuses s200=(\\d+) s503=(\\d+) other=(\\d+) errors=(\\d+)").matcher(text);
    assertTrue(m.find(), text);
    return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
        Long.parseLong(m.group(3)), Long.parseLong(m.group(4))};
  }
}
