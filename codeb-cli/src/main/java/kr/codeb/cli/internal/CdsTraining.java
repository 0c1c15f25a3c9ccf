package kr.codeb.cli.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import kr.codeb.ProviderRegistry;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.runtime.ContainerRuntime;

/**
 * The training run behind {@code bin/we}'s class-data sharing archive: {@code bin/we} runs this
 * once per build under {@code -XX:DumpLoadedClassList}, dumps a static archive of the listed
 * classes with {@code -Xshare:dump} (unlike JDK 17's dynamic archive, it takes picocli's Java 5
 * classes) and later starts every command with {@code -XX:SharedArchiveFile}. It runs the common
 * commands in-process, on a small SSOT of its own in a temporary folder, with every output
 * discarded, so the classes they load are archived. Touches no engine and no real registry: the
 * deploy runs on the in-memory {@code mem:} engines (its gate fails after 200 ms), and the Docker
 * and Caddy clients are loaded by calls to a socket path that does not exist and to loopback
 * port 1, which fail at once.
 */
public final class CdsTraining {
  /** {@code -Dcodeb.cds.fleetClasses=false}: train without the fleet list (to compute it). */
  static final String FLEET_CLASSES_PROPERTY = "codeb.cds.fleetClasses";
  static final String FLEET_CLASSES = "cds-fleet-classes.txt";

  private CdsTraining() {}

  public static void main(String[] args) throws IOException {
    Path dir = Files.createTempDirectory("codeb-cds-training-");
    try {
      Path ssot = runCommands(dir);
      quietly(() -> daemonRoundTrip(dir, ssot));
      if (!"false".equals(System.getProperty(FLEET_CLASSES_PROPERTY))) {
        loadFleetClasses();
      }
    } finally {
      deleteTree(dir);
    }
  }

  /** The common commands and provider clients, in {@code dir}; what the daemon warms up with. */
  static void warmUp() throws IOException {
    Path dir = Files.createTempDirectory("codeb-warm-up-");
    try {
      runCommands(dir);
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * One line through a daemon and back, both ends in this JVM: archives the client's path
   * (Unix socket, framing), which every command takes while a daemon runs.
   */
  private static void daemonRoundTrip(Path dir, Path ssot) {
    Path socketDir = dir.resolve("d");
    DaemonPaths paths = DaemonPaths.of(socketDir.toString(), null, null);
    DaemonServer server = new DaemonServer(paths, java.time.Duration.ofMinutes(1),
        new PrintStream(OutputStream.nullOutputStream(), true));
    Thread serving = new Thread(server::serve, "cds-training-daemon");
    serving.start();
    try {
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (DaemonClient.status(paths).isEmpty() && System.nanoTime() < deadline) {
        LockSupport.parkNanos(5_000_000L); // the server thread is binding: not a busy spin
      }
      Map<String, String> env = Map.of(DaemonPaths.DIR_VARIABLE, socketDir.toString(),
          "CODEB_SSOT", ssot.toString());
      OutputStream none = OutputStream.nullOutputStream();
      DaemonClient.tryRun(new String[] {"ssot", "show"}, env, none, none);
    } finally {
      server.stop("training done");
      try {
        serving.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Path runCommands(Path dir) throws IOException {
    Path ssot = trainingSsot(dir);
    Map<String, String> vars = Map.of("CODEB_SSOT", ssot.toString());
    PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true);
    for (List<String> line : List.of(
        List.of("--help"),
        List.of("--version"),
        List.of("-V", "--json"),
        List.of("ssot", "--help"),
        List.of("ssot", "show"),
        List.of("ssot", "show", "--json"),
        List.of("ssot", "check"),
        List.of("ssot", "check", "--json"),
        List.of("ssot", "allocate", "cds-training", "--env", "production"),
        List.of("ssot", "allocate", "cds-training", "--env", "production", "--json"),
        List.of("ssot", "release", "cds-training", "--env", "production", "--json"),
        List.of("ssot", "repair", "--dry-run"),
        List.of("ssot", "repair", "--dry-run", "--json"),
        List.of("deploy", "--help"),
        List.of("ssot", "allocate", "Bad_Name", "--env", "production", "--json"),
        List.of("no-such-command"),
        List.of("deploy", "cds-training", "--env", "production", "--image", "cds/training:1",
            "--runtime", "mem:cds-training", "--proxy", "mem:cds-training", "--drain", "0",
            "--health-timeout", "200ms", "--json"),
        List.of("slot", "cds-training", "--env", "production", "--runtime", "mem:cds-training",
            "--proxy", "mem:cds-training", "--json"))) {
      Cli.run(line.toArray(String[]::new), nowhere, nowhere, vars::get);
    }
    ProviderRegistry providers = ProviderRegistry.load();
    quietly(() -> {
      try (ContainerRuntime r = providers.containerRuntime(
          "docker+unix://" + dir.resolve("no-engine.sock"))) {
        r.list(Map.of());
      }
    });
    quietly(() -> {
      try (ReverseProxy p = providers.reverseProxy("caddy+http://127.0.0.1:1")) {
        p.routes();
      }
    });
    return ssot;
  }

  /** What {@link #loadFleetClasses} did: how many classes were listed, which were missing. */
  record Loaded(int listed, List<String> missing) {}

  /**
   * Loads, without initialising them, the classes that commands working on real servers load
   * and the commands above cannot reach without a server: the SSH handshake, TLS, the Docker
   * transport, JDBC and the like (about 2,900 classes, 0.4 s of CPU at every
   * {@code we init --plan} when not archived). {@code cds-fleet-classes.txt} lists them, one binary
   * name a line; {@code bench/cds-class-list.sh} writes it from real runs against the test
   * fleet. A listed class this build no longer has is skipped: the archive simply lacks it.
   */
  static Loaded loadFleetClasses() throws IOException {
    ClassLoader loader = CdsTraining.class.getClassLoader();
    int listed = 0;
    List<String> missing = new java.util.ArrayList<>();
    try (var in = CdsTraining.class.getResourceAsStream(FLEET_CLASSES)) {
      if (in == null) {
        throw new IOException(FLEET_CLASSES + " is missing from the jar");
      }
      for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
          .split("\n")) {
        String name = line.strip();
        if (name.isEmpty() || name.startsWith("#")) {
          continue;
        }
        listed++;
        try {
          Class.forName(name.replace('/', '.'), false, loader);
        } catch (ClassNotFoundException | LinkageError gone) {
          missing.add(name);
        }
      }
    }
    return new Loaded(listed, List.copyOf(missing));
  }

  /** A small SSOT of the project's own (a range per environment, one project) in {@code dir}. */
  private static Path trainingSsot(Path dir) throws IOException {
    Path ssot = dir.resolve("ssot.json");
    try (var in = CdsTraining.class.getResourceAsStream("cds-training-ssot.json")) {
      if (in == null) {
        throw new IOException("cds-training-ssot.json is missing from the jar");
      }
      Files.write(ssot, in.readAllBytes());
    }
    return ssot;
  }

  private static void quietly(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException expected) {
      // Nothing listens there: only the classes on the way matter.
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
