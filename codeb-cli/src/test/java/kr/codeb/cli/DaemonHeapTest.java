package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import kr.codeb.cli.internal.DaemonClient;
import kr.codeb.testkit.SeedData;
import org.junit.jupiter.api.Test;

/**
 * What a heap dump of a real daemon process shows a minute after lines that carried keys in
 * their environment, followed by four lines without: no key and no value of those
 * environments is left anywhere in the daemon's heap, although the provider clients those
 * lines used are still pooled (the pool's idle limit has not passed). The minute is okio's:
 * its timeout watchdog thread (behind OkHttp's call timeout) keeps the last call it watched,
 * with its request headers, until it has been idle for 60 s and ends. The README's sentence
 * about the daemon says this; the pool's eviction of idle clients is ProviderPoolTest's.
 */
class DaemonHeapTest {
  private static final String PDNS_KEY = "pdnsKeyHeapMarker7c41e9";
  private static final String VULTR_KEY = "vultrKeyHeapMarker2d88b0";
  private static final String APP_SECRET = "appSecretHeapMarker51fa3";

  private record Run(int code, String out, String err) {}

  private static Run we(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env::get);
    return new Run(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  private static Run viaDaemon(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    OptionalInt code = DaemonClient.tryRun(args, env, out, err);
    assertTrue(code.isPresent(), "the daemon took the line");
    return new Run(code.getAsInt(), out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theDaemonsHeapHoldsNoKeyOfAnEarlierLine() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "wh");
    Path ssot = SeedData.copySsotTo(dir.resolve("work"));
    Map<String, String> base = Map.of("CODEB_DAEMON_DIR", dir.resolve("d").toString(),
        "CODEB_SSOT", ssot.toString(), "HOME", dir.toString());
    // A PowerDNS stand-in: every zone list is empty.
    HttpServer pdns = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(),
        0), 0);
    pdns.createContext("/", exchange -> {
      byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    pdns.start();
    Path dump = dir.resolve("daemon.hprof");
    try {
      Run started = we(base, "daemon", "start", "--pool-idle", "5m", "--json");
      assertEquals(0, started.code(), started.err());
      long pid = new ObjectMapper().readTree(started.out()).path("pid").asLong();

      Map<String, String> withKeys = new HashMap<>(base);
      withKeys.put("CODEB_POWERDNS_API_KEY", PDNS_KEY);
      withKeys.put("CODEB_VULTR_API_KEY", VULTR_KEY);
      withKeys.put("APP_TOKEN", APP_SECRET);
      for (int i = 0; i < 3; i++) {
        Run listed = viaDaemon(withKeys, "domain", "list", "--dns", "powerdns+http://127.0.0.1:"
            + pdns.getAddress().getPort() + "?server=localhost", "--proxy", "mem:heap");
        assertEquals(0, listed.code(), listed.err());
        assertEquals(0, viaDaemon(withKeys, "ssot", "allocate", "acme" + i, "--env",
            "production").code());
      }
      Thread.sleep(65_000); // okio's watchdog thread ends after 60 s idle (see above)
      for (int i = 0; i < 4; i++) {
        assertEquals(0, viaDaemon(base, "ssot", "show").code());
      }

      Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
      Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.heap_dump",
          dump.toString()).redirectErrorStream(true).start();
      String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor(), said);
      byte[] heap = Files.readAllBytes(dump);
      assertTrue(heap.length > 1_000_000, "a heap dump: " + heap.length + " bytes");
      List<String> found = new ArrayList<>();
      for (String secret : List.of(PDNS_KEY, VULTR_KEY, APP_SECRET)) {
        int n = count(heap, secret.getBytes(StandardCharsets.ISO_8859_1))
            + count(heap, secret.getBytes(StandardCharsets.UTF_16BE))
            + count(heap, secret.getBytes(StandardCharsets.UTF_16LE));
        if (n > 0) {
          found.add(secret + " x" + n);
        }
      }
      assertEquals(List.of(), found, "keys left in the daemon's heap");
      String status = we(base, "daemon", "status").out();
      assertTrue(status.contains("served=10"), status);
    } finally {
      pdns.stop(0);
      we(base, "daemon", "stop");
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private static int count(byte[] haystack, byte[] needle) {
    int n = 0;
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      n++;
    }
    return n;
  }
}
