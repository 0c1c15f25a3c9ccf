package kr.codeb.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import kr.codeb.tck.TestEngines;

/**
 * Stops, freezes and brings back the test environment's daemons ({@code scripts/test-env.sh})
 * as faults a test injects: found by their pid files under {@code CODEB_TEST_STATE}, restarted
 * exactly as they ran (same command line, environment, working folder and network namespace),
 * so ports, keys and data survive. {@code scripts/test-env.sh up} is not used to restore: it
 * gives PowerDNS a new key and an empty database, PostgreSQL a fresh cluster.
 *
 * <ul>
 *   <li>{@link #stop}: TERM (KILL after 30 s), so connections are refused until
 *       {@link Fault#restore()}. Caddy's config (not persisted in the test environment) is
 *       read before and loaded back after, as a real Caddy's autosave would; PostgreSQL goes
 *       through {@code pg_ctl}.</li>
 *   <li>{@link #freeze}: SIGSTOP; the kernel still completes TCP handshakes, nothing answers:
 *       a timeout. {@link Fault#restore()} sends SIGCONT.</li>
 * </ul>
 */
final class TestEnvDaemons {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  private TestEnvDaemons() {}

  /** A fault that can be undone; {@code restore} is idempotent. */
  interface Fault extends AutoCloseable {
    String describe();

    void restore();

    @Override
    default void close() {
      restore();
    }
  }

  static Path state() {
    return Path.of(TestEngines.require("CODEB_TEST_STATE").strip());
  }

  /** The live pid of a service of the test environment ({@code sshd-c}, {@code caddy}, ...). */
  static long pid(String service) {
    Path file = state().resolve(service).resolve("pid");
    try {
      long pid = Long.parseLong(Files.readString(file).strip());
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        return pid;
      }
      throw new IllegalStateException(service + " (pid " + pid + " in " + file + ") is not running");
    } catch (IOException e) {
      throw new UncheckedIOException(service + " has no pid file " + file, e);
    }
  }

  /** Freezes the service (SIGSTOP): connections are accepted by the kernel, never answered. */
  static Fault freeze(String service) {
    long pid = pid(service);
    signal("STOP", pid);
    return new Fault() {
      boolean restored;

      @Override
      public String describe() {
        return service + " frozen (SIGSTOP pid " + pid + ")";
      }

      @Override
      public synchronized void restore() {
        if (!restored) {
          signal("CONT", pid);
          restored = true;
        }
      }
    };
  }

  /**
   * An SSH server going down with its open connections: {@link #stop} of the listener, and
   * every connection's own sshd process killed (stopping the listener alone leaves them
   * serving, so a client already logged in would not notice).
   */
  static Fault stopWithSessions(String sshd) {
    List<ProcessHandle> sessions = ProcessHandle.of(pid(sshd)).orElseThrow().descendants()
        .toList();
    Fault listener = stop(sshd);
    sessions.forEach(ProcessHandle::destroyForcibly);
    return listener;
  }

  /** {@link #freeze} of an SSH server and of its open connections' sshd processes. */
  static Fault freezeWithSessions(String sshd) {
    List<Long> sessions = ProcessHandle.of(pid(sshd)).orElseThrow().descendants()
        .map(ProcessHandle::pid).toList();
    Fault listener = freeze(sshd);
    sessions.forEach(p -> signal("STOP", p));
    return new Fault() {
      @Override
      public String describe() {
        return listener.describe() + " with its " + sessions.size() + " open connection(s)";
      }

      @Override
      public synchronized void restore() {
        for (long p : sessions) {
          if (ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)) {
            signal("CONT", p);
          }
        }
        listener.restore();
      }
    };
  }

  /** Stops the service; {@link Fault#restore()} starts it again as it ran and waits until it answers. */
  static Fault stop(String service) {
    long pid = pid(service);
    Launch launch = Launch.capture(service, pid);
    Optional<String> caddyConfig = service.equals("caddy") ? Optional.of(caddyConfig()) : Optional.empty();
    if (service.equals("postgresql")) {
      run(List.of("runuser", "-u", "postgres", "--", pgCtl(), "-D", pgData().toString(), "-m",
          "fast", "-w", "-t", "30", "stop"));
    } else {
      signal("TERM", pid);
    }
    awaitGone(service, pid);
    return new Fault() {
      boolean restored;

      @Override
      public String describe() {
        return service + " stopped (was pid " + pid + ")";
      }

      @Override
      public synchronized void restore() {
        if (restored) {
          return;
        }
        if (service.equals("postgresql")) {
          run(List.of("runuser", "-u", "postgres", "--", pgCtl(), "-D", pgData().toString(),
              "-l", state().resolve("postgresql/log").toString(), "-w", "-t", "60", "start"));
          writePid(service, Long.parseLong(firstLine(pgData().resolve("postmaster.pid"))));
        } else {
          long started = launch.start();
          writePid(service, started);
          awaitAlive(service, started);
        }
        awaitAnswer(service);
        caddyConfig.ifPresent(TestEnvDaemons::loadCaddyConfig);
        restored = true;
      }
    };
  }

  /** How a daemon was started, read from /proc before it is stopped. */
  private record Launch(String service, List<String> argv, Map<String, String> env, Path cwd,
      Optional<String> netns) {
    static Launch capture(String service, long pid) {
      Path proc = Path.of("/proc", Long.toString(pid));
      try {
        // sshd rewrites its process title ("sshd: /usr/sbin/sshd -D ... [listener] ..."), so
        // its command line is the one scripts/test-env.sh launches, not what /proc shows.
        List<String> argv = service.startsWith("sshd-")
            ? List.of("/usr/sbin/sshd", "-D", "-e", "-f",
                state().resolve(service).resolve("sshd_config").toString())
            : split(Files.readAllBytes(proc.resolve("cmdline")));
        Map<String, String> env = new LinkedHashMap<>();
        for (String pair : split(Files.readAllBytes(proc.resolve("environ")))) {
          int eq = pair.indexOf('=');
          if (eq > 0) {
            env.put(pair.substring(0, eq), pair.substring(eq + 1));
          }
        }
        Path cwd = Files.readSymbolicLink(proc.resolve("cwd"));
        boolean ownNet = Files.readSymbolicLink(proc.resolve("ns/net"))
            .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")));
        Optional<String> netns = ownNet ? Optional.empty()
            : Optional.of(run(List.of("ip", "netns", "identify", Long.toString(pid))).strip());
        if (netns.isPresent() && netns.get().isEmpty()) {
          throw new IllegalStateException(service + " runs in a network namespace with no name");
        }
        return new Launch(service, argv, env, cwd, netns);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read how " + service + " was started", e);
      }
    }

    long start() {
      List<String> command = new ArrayList<>(List.of("setsid"));
      netns.ifPresent(n -> command.addAll(List.of("nsenter", "--net=/var/run/netns/" + n)));
      command.addAll(argv);
      ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
      pb.environment().clear();
      pb.environment().putAll(env);
      Path log = state().resolve(service).resolve("log");
      pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.redirectErrorStream(true);
      try {
        return pb.start().pid();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + service + " again", e);
      }
    }
  }

  private static List<String> split(byte[] nulSeparated) {
    List<String> parts = new ArrayList<>();
    int from = 0;
    for (int i = 0; i < nulSeparated.length; i++) {
      if (nulSeparated[i] == 0) {
        parts.add(new String(nulSeparated, from, i - from, StandardCharsets.UTF_8));
        from = i + 1;
      }
    }
    if (from < nulSeparated.length) {
      parts.add(new String(nulSeparated, from, nulSeparated.length - from, StandardCharsets.UTF_8));
    }
    return parts;
  }

  /** Fails with the log's last lines when the restarted process exits within its first second. */
  private static void awaitAlive(String service, long pid) {
    sleep(300);
    for (int i = 0; i < 7 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false); i++) {
      sleep(100);
    }
    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      throw new IllegalStateException(service + " exited at once after its restart: "
          + run(List.of("tail", "-n", "5", state().resolve(service).resolve("log").toString())));
    }
  }

  /** Waits (up to 60 s) until the restarted service answers as {@code test-env.sh up} checks it. */
  static void awaitAnswer(String service) {
    BooleanSupplier probe = switch (service) {
      case "caddy" -> () -> httpOk(TestEngines.require("CODEB_TEST_CADDY_ADMIN") + "/config/", null);
      case "pdns" -> () -> httpOk(TestEngines.require("CODEB_TEST_PDNS_API")
          + "/api/v1/servers/localhost", TestEngines.require("CODEB_TEST_PDNS_API_KEY"));
      case "docker-storage" -> () -> unixPing(TestEngines.require("CODEB_TEST_STORAGE_DOCKER_HOST"));
      case "docker" -> () -> unixPing(TestEngines.require("CODEB_TEST_DOCKER_HOST"));
      case "sshd-a" -> () -> sshBanner("127.0.0.11", TestEngines.require("CODEB_TEST_SSH_PORT_A"));
      case "sshd-b" -> () -> sshBanner("127.0.0.12", TestEngines.require("CODEB_TEST_SSH_PORT_B"));
      case "sshd-c" -> () -> sshBanner("127.0.0.13", TestEngines.require("CODEB_TEST_SSH_PORT_C"));
      case "postgresql" -> () -> tcpOpen("127.0.0.1", TestEngines.require("CODEB_TEST_POSTGRESQL_PORT"));
      default -> throw new IllegalArgumentException("no probe for " + service);
    };
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!probe.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(service + " did not answer within 60 s after its restart;"
            + " see " + state().resolve(service).resolve("log"));
      }
      sleep(200);
    }
  }

  private static boolean httpOk(String url, String apiKey) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.strip()))
        .timeout(Duration.ofSeconds(3));
    if (apiKey != null) {
      b.header("X-API-Key", apiKey.strip());
    }
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean unixPing(String dockerHost) {
    String socket = dockerHost.strip().replaceFirst("^unix://", "");
    try {
      return run(List.of("curl", "-fs", "--max-time", "3", "--unix-socket", socket,
          "http://d/_ping")).strip().equals("OK");
    } catch (IllegalStateException e) {
      return false;
    }
  }

  private static boolean sshBanner(String host, String port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, Integer.parseInt(port.strip())), 2000);
      s.setSoTimeout(3000);
      byte[] first = s.getInputStream().readNBytes(4);
      return new String(first, StandardCharsets.US_ASCII).equals("SSH-");
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean tcpOpen(String host, String port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, Integer.parseInt(port.strip())), 2000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String caddyConfig() {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(
          TestEngines.require("CODEB_TEST_CADDY_ADMIN").strip() + "/config/"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("Caddy's /config/ answered " + r.statusCode());
      }
      return r.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void loadCaddyConfig(String json) {
    if (json.isBlank() || json.strip().equals("null")) {
      return;
    }
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(
          TestEngines.require("CODEB_TEST_CADDY_ADMIN").strip() + "/load"))
          .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
          .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("Caddy refused its own config back: " + r.statusCode()
            + " " + r.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path pgData() {
    return state().resolve("postgresql/data");
  }

  private static String pgCtl() {
    String bin = run(List.of("sh", "-c", "ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1"))
        .strip();
    return bin + "/pg_ctl";
  }

  private static String firstLine(Path file) {
    try {
      return Files.readAllLines(file).get(0).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writePid(String service, long pid) {
    try {
      Files.writeString(state().resolve(service).resolve("pid"), pid + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void awaitGone(String service, long pid) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      if (System.nanoTime() > deadline) {
        signal("KILL", pid);
        deadline = Long.MAX_VALUE;
      }
      sleep(100);
    }
  }

  static void signal(String signal, long pid) {
    run(List.of("kill", "-" + signal, Long.toString(pid)));
  }

  /** Runs a command, returns its stdout; a non-zero exit fails with its output. */
  static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      int code = p.waitFor();
      if (code != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited " + code + ": " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
