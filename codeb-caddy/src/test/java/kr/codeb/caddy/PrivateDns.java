package kr.codeb.caddy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PowerDNS authoritative server and a PowerDNS Recursor in front of it, both this test's own
 * (temp folder, free loopback ports), so that a test can stop and start them without touching
 * the shared test environment. Configured as {@code scripts/test-env.sh} configures the shared
 * recursor; it forwards {@code codeb-tck.test.} to the private PowerDNS.
 */
final class PrivateDns implements AutoCloseable {
  final Path dir;
  final String authDns;
  final URI authApi;
  final String authKey = UUID.randomUUID().toString();
  final String cacheDns;
  final URI cacheApi;
  final String cacheKey = UUID.randomUUID().toString();
  private Process auth;
  private Process cache;

  PrivateDns() throws IOException, InterruptedException {
    dir = Files.createTempDirectory("codeb-private-dns");
    authDns = "127.0.0.1:" + freePort();
    authApi = URI.create("http://127.0.0.1:" + freePort());
    cacheDns = "127.0.0.1:" + freePort();
    cacheApi = URI.create("http://127.0.0.1:" + freePort());
    Path auth = Files.createDirectories(dir.resolve("pdns"));
    Process schema = new ProcessBuilder("sqlite3", auth.resolve("pdns.sqlite3").toString())
        .redirectInput(new File("/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql"))
        .redirectErrorStream(true).redirectOutput(auth.resolve("schema.log").toFile()).start();
    if (schema.waitFor() != 0) {
      throw new IllegalStateException("sqlite3 could not create the PowerDNS schema: "
          + Files.readString(auth.resolve("schema.log")));
    }
    Files.writeString(auth.resolve("pdns.conf"), String.join("\n",
        "launch=gsqlite3", "gsqlite3-database=" + auth.resolve("pdns.sqlite3"),
        "local-address=127.0.0.1", "local-port=" + port(authDns), "api=yes", "api-key=" + authKey,
        "webserver=yes", "webserver-address=127.0.0.1", "webserver-port=" + authApi.getPort(),
        "webserver-allow-from=127.0.0.0/8", "socket-dir=" + auth, ""));
    Path rec = Files.createDirectories(dir.resolve("recursor"));
    Files.writeString(rec.resolve("recursor.conf"), String.join("\n",
        "local-address=127.0.0.1", "local-port=" + port(cacheDns),
        "forward-zones=codeb-tck.test.=" + authDns, "serve-stale-extensions=240",
        "packetcache-servfail-ttl=0", "server-down-max-fails=0",
        "dont-throttle-netmasks=127.0.0.1/32", "dnssec=off", "hint-file=no",
        "security-poll-suffix=", "webserver=yes", "webserver-address=127.0.0.1",
        "webserver-port=" + cacheApi.getPort(), "webserver-allow-from=127.0.0.0/8",
        "api-key=" + cacheKey, "socket-dir=" + rec, ""));
    startAuth();
    startCache();
  }

  void startAuth() {
    auth = start(List.of("pdns_server", "--config-dir=" + dir.resolve("pdns"), "--daemon=no",
        "--guardian=no", "--disable-syslog"), "pdns", authApi);
  }

  void startCache() {
    cache = start(List.of("pdns_recursor", "--config-dir=" + dir.resolve("recursor"),
        "--daemon=no", "--disable-syslog"), "recursor", cacheApi);
  }

  void stopAuth() throws InterruptedException {
    stop(auth);
  }

  void stopCache() throws InterruptedException {
    stop(cache);
  }

  private Process start(List<String> command, String name, URI api) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()))
          .start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!answers(api)) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          p.destroyForcibly();
          throw new IllegalStateException(name + " did not start: "
              + Files.readString(dir.resolve(name + ".log")));
        }
        Thread.sleep(50);
      }
      // The DNS listener opens before the web server; a short pause more is not needed.
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void stop(Process p) throws InterruptedException {
    if (p != null && p.isAlive()) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  private static boolean answers(URI api) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(api.getHost(), api.getPort()), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static int port(String hostPort) {
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }

  @Override
  public void close() throws IOException {
    try {
      stop(cache);
      stop(auth);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
