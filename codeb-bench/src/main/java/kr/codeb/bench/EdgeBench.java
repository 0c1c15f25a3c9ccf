package kr.codeb.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.codeb.ProviderRegistry;
import kr.codeb.deploy.DeployKey;
import kr.codeb.internal.SlotNames;
import kr.codeb.model.Environment;
import kr.codeb.model.IpAddress;
import kr.codeb.model.ProjectName;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;
import kr.codeb.testkit.MemReverseProxy;

/**
 * One edge as the number of projects grows: the edge's share of a deploy (what {@code
 * Deployments.deploy} asks the proxy: the hosts checked against every route, the route read,
 * the switch, the confirmation that new requests reach the new upstream) timed at each route
 * count, with traffic to another project measured during the switches and in an idle window of
 * the same length before them (the baseline).
 *
 * <p>{@code EdgeBench PROXY_URI HTTP_PORT SIZES WINDOW_S [CADDY_PID]}: PROXY_URI a {@code
 * caddy+http://} URI (or {@code mem} for the smoke run), HTTP_PORT the port the proxy listens
 * on for traffic, SIZES e.g. {@code 10,100,500,1000}, WINDOW_S the seconds of each traffic
 * window. Traffic: {@code wrk} (BENCH_WRK, default {@code wrk}; {@code none} skips it) with
 * {@code bench/switching/errors.lua} (BENCH_WRK_LUA) on the first project's host.
 *
 * <p>Prints per size: {@code ADD size=.. n=.. median_ms=.. p90_ms=..} (routes added on the way
 * to that size: check + read + upsert + confirm), {@code IDLE ...} and {@code SWITCH ...}
 * lines (the wrk figures of each window; switches done, their median and p99), and {@code RSS}
 * of the Caddy process when its pid is given.
 */
public final class EdgeBench {
  private static final Pattern WRK = Pattern.compile(
      "WRK requests=(\\d+) failed=(\\d+) \\(([^)]*)\\)");
  private static final Pattern P99 = Pattern.compile("\\s99%\\s+([0-9.]+)(us|ms|s)");
  private static final Pattern P50 = Pattern.compile("\\s50%\\s+([0-9.]+)(us|ms|s)");

  private EdgeBench() {}

  /** A project's key, route id and host. */
  record Project(int index) {
    DeployKey key() {
      return new DeployKey(ProjectName.of(String.format(Locale.ROOT, "edge%04d", index)),
          Environment.of("production"));
    }

    String routeId() {
      return SlotNames.route(key());
    }

    String host() {
      return String.format(Locale.ROOT, "edge%04d.bench.test", index);
    }
  }

  /**
   * The proxy calls of one deploy's switch (or of a first deploy's route), in its order; adds
   * each call's milliseconds to {@code phases} (check, read, change, confirm).
   */
  static void deploySwitch(ReverseProxy proxy, Project p, Upstream to, List<List<Double>> phases) {
    List<String> hosts = List.of(p.host());
    long t0 = System.nanoTime();
    if (!proxy.hostConflicts(p.routeId(), hosts).isEmpty()) {
      throw new IllegalStateException("host conflict for " + p.host());
    }
    long t1 = System.nanoTime();
    boolean exists = proxy.route(p.routeId()).isPresent();
    long t2 = System.nanoTime();
    if (exists) {
      proxy.switchUpstream(p.routeId(), to);
    } else {
      proxy.upsert(new Route(p.routeId(), hosts, to));
    }
    long t3 = System.nanoTime();
    proxy.awaitUpstream(p.routeId(), to, Duration.ofSeconds(10));
    long t4 = System.nanoTime();
    long[] at = {t0, t1, t2, t3, t4};
    for (int i = 0; i < 4; i++) {
      phases.get(i).add((at[i + 1] - at[i]) / 1e6);
    }
  }

  static List<List<Double>> phases() {
    return List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
  }

  static String describe(List<List<Double>> phases) {
    String[] names = {"check", "read", "change", "confirm"};
    StringBuilder b = new StringBuilder("phases_median_ms");
    for (int i = 0; i < 4; i++) {
      b.append(String.format(Locale.ROOT, " %s=%.1f", names[i], Stats.percentile(phases.get(i), 50)));
    }
    return b.toString();
  }

  public static void main(String[] args) throws Exception {
    String uri = args[0];
    int httpPort = Integer.parseInt(args[1]);
    List<Integer> sizes = new ArrayList<>();
    for (String s : args[2].split(",")) {
      sizes.add(Integer.parseInt(s.trim()));
    }
    int window = Integer.parseInt(args[3]);
    String caddyPid = args.length > 4 ? args[4] : "";
    int bluePort = freePort();
    int greenPort = freePort();
    Backend blue = Backend.start(bluePort, "blue");
    Backend green = Backend.start(greenPort, "green");
    Upstream[] slots = {new Upstream(IpAddress.of("127.0.0.1"), bluePort),
        new Upstream(IpAddress.of("127.0.0.1"), greenPort)};
    ReverseProxy proxy = uri.equals("mem") ? MemReverseProxy.create()
        : ProviderRegistry.load().reverseProxy(uri);
    try {
      run(proxy, httpPort, sizes, window, caddyPid, slots);
    } finally {
      proxy.close();
      blue.close();
      green.close();
    }
  }

  static void run(ReverseProxy proxy, int httpPort, List<Integer> sizes, int window,
      String caddyPid, Upstream[] slots) throws Exception {
    int have = 0;
    for (int size : sizes) {
      List<Double> adds = new ArrayList<>();
      List<List<Double>> addPhases = phases();
      while (have < size) {
        long t0 = System.nanoTime();
        deploySwitch(proxy, new Project(have), slots[0], addPhases);
        adds.add((System.nanoTime() - t0) / 1e6);
        have++;
      }
      // The adds near this size: the last tenth (at least 1, at most 50) of the way here.
      List<Double> near = adds.subList(Math.max(0, adds.size() - Math.max(1,
          Math.min(50, adds.size() / 10))), adds.size());
      int from = adds.size() - near.size();
      List<List<Double>> nearPhases = phases();
      for (int i = 0; i < 4; i++) {
        nearPhases.get(i).addAll(addPhases.get(i).subList(from, adds.size()));
      }
      System.out.printf(Locale.ROOT, "ADD size=%d n=%d median_ms=%.1f p90_ms=%.1f max_ms=%.1f %s%n",
          size, near.size(), Stats.percentile(near, 50), Stats.percentile(near, 90),
          Stats.percentile(near, 100), describe(nearPhases));
      // Every route read whole (what route(id) cost before it read only its own route).
      List<Double> reads = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        long t0 = System.nanoTime();
        proxy.routes();
        reads.add((System.nanoTime() - t0) / 1e6);
      }
      System.out.printf(Locale.ROOT, "ROUTES size=%d all_routes_read_median_ms=%.1f%n", size,
          Stats.percentile(reads, 50));
      Project watched = new Project(0);
      String idle = traffic(httpPort, watched.host(), window, EdgeBench::pause);
      System.out.printf(Locale.ROOT, "IDLE size=%d %s%n", size, idle);
      List<Double> switches = new ArrayList<>();
      List<List<Double>> switchPhases = phases();
      int[] next = {1};
      String during = traffic(httpPort, watched.host(), window, () -> {
        Project p = new Project(size == 1 ? 0 : next[0]);
        next[0] = next[0] + 1 >= size ? 1 : next[0] + 1;
        boolean onBlue = proxy.route(p.routeId()).orElseThrow().upstream().equals(slots[0]);
        long t0 = System.nanoTime();
        deploySwitch(proxy, p, slots[onBlue ? 1 : 0], switchPhases);
        switches.add((System.nanoTime() - t0) / 1e6);
      });
      System.out.printf(Locale.ROOT, "SWITCH size=%d %s switches=%d per_min=%.0f median_ms=%.1f"
          + " p99_ms=%.1f max_ms=%.1f %s%n", size, during, switches.size(),
          switches.size() * 60.0 / window, Stats.percentile(switches, 50),
          Stats.percentile(switches, 99), Stats.percentile(switches, 100),
          describe(switchPhases));
      if (!caddyPid.isEmpty()) {
        System.out.printf(Locale.ROOT, "RSS size=%d caddy_kib=%d%n", size, rssKib(caddyPid));
      }
      System.out.flush();
    }
  }

  /**
   * Runs wrk on {@code host} for {@code seconds} while {@code work} runs again and again on
   * this thread; returns wrk's figures as {@code requests=.. failed=.. p50_ms=.. p99_ms=..}.
   */
  static String traffic(int port, String host, int seconds, Runnable work) throws Exception {
    String wrk = System.getenv().getOrDefault("BENCH_WRK", "wrk");
    Process p = null;
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    if (!wrk.equals("none")) {
      String lua = System.getenv().getOrDefault("BENCH_WRK_LUA", "bench/switching/errors.lua");
      p = new ProcessBuilder(wrk, "-t1", "-c4", "-d" + seconds + "s", "--latency", "-s", lua,
          "-H", "Host: " + host, "http://127.0.0.1:" + port + "/")
          .redirectErrorStream(true).start();
    }
    // Leave the last second for wrk to finish: nothing of the work runs after its window.
    while (System.nanoTime() < end - TimeUnit.SECONDS.toNanos(1)) {
      work.run();
    }
    if (p == null) {
      return "requests=0 failed=0 (no traffic) p50_ms=0 p99_ms=0";
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return parseWrk(out);
  }

  /** {@code requests=.. failed=.. (kinds) p50_ms=.. p99_ms=..} from wrk's output. */
  static String parseWrk(String out) {
    Matcher m = WRK.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("no WRK line in wrk's output: " + out);
    }
    return String.format(Locale.ROOT, "requests=%s failed=%s (%s) p50_ms=%.2f p99_ms=%.2f",
        m.group(1), m.group(2), m.group(3), millis(P50, out), millis(P99, out));
  }

  private static double millis(Pattern p, String out) {
    Matcher m = p.matcher(out);
    if (!m.find()) {
      return Double.NaN;
    }
    double v = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> v / 1000;
      case "s" -> v * 1000;
      default -> v;
    };
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static long rssKib(String pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
