package kr.codeb.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kr.codeb.ProviderRegistry;
import kr.codeb.runtime.ContainerRuntime;

/**
 * What a deploy to N app servers pays before it starts anything: one engine per server opened
 * over SSH ({@code docker+ssh://}: the SSH login, then {@code docker system dial-stdio} there)
 * and one engine ping and container list through it, for all N servers at once (one thread per
 * server, as a multi-server deploy would) and, as the baseline of the same run, one server.
 *
 * <p>{@code ServerLinkBench ENGINES COUNTS ROUNDS}: ENGINES comma-separated runtime URIs (used
 * round-robin when a count exceeds them; {@code mem} for the smoke run), COUNTS e.g.
 * {@code 1,2,3,6,12}, ROUNDS rounds per count (the counts alternate within a round). Prints per
 * count {@code LINKS n=.. parallel_median_ms=.. parallel_p90_ms=.. per_link_median_ms=..}.
 */
public final class ServerLinkBench {
  private ServerLinkBench() {}

  public static void main(String[] args) throws Exception {
    List<String> engines = List.of(args[0].split(","));
    List<Integer> counts = new ArrayList<>();
    for (String c : args[1].split(",")) {
      counts.add(Integer.parseInt(c.trim()));
    }
    int rounds = Integer.parseInt(args[2]);
    ProviderRegistry providers = ProviderRegistry.load();
    // One untimed round: class loading and the JIT are not the servers' cost.
    once(providers, engines, 1);
    List<List<Double>> walls = new ArrayList<>();
    List<List<Double>> links = new ArrayList<>();
    for (int i = 0; i < counts.size(); i++) {
      walls.add(new ArrayList<>());
      links.add(new ArrayList<>());
    }
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < counts.size(); i++) {
        int at = r % 2 == 0 ? i : counts.size() - 1 - i;
        long t0 = System.nanoTime();
        List<Double> each = once(providers, engines, counts.get(at));
        walls.get(at).add((System.nanoTime() - t0) / 1e6);
        links.get(at).addAll(each);
      }
    }
    for (int i = 0; i < counts.size(); i++) {
      System.out.printf(Locale.ROOT, "LINKS n=%d rounds=%d parallel_median_ms=%.1f"
          + " parallel_p90_ms=%.1f per_link_median_ms=%.1f per_link_p90_ms=%.1f%n",
          counts.get(i), rounds, Stats.percentile(walls.get(i), 50),
          Stats.percentile(walls.get(i), 90), Stats.percentile(links.get(i), 50),
          Stats.percentile(links.get(i), 90));
    }
  }

  /** Opens, pings, lists and closes {@code n} engines at once; returns each one's ms. */
  static List<Double> once(ProviderRegistry providers, List<String> engines, int n)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Double>> done = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String uri = engines.get(i % engines.size());
        done.add(pool.submit(() -> {
          long t0 = System.nanoTime();
          try (ContainerRuntime runtime = uri.equals("mem")
              ? kr.codeb.testkit.MemContainerRuntime.create() : providers.containerRuntime(uri)) {
            runtime.ping();
            runtime.list(java.util.Map.of("codeb.project", "capacity-bench"));
          }
          return (System.nanoTime() - t0) / 1e6;
        }));
      }
      List<Double> out = new ArrayList<>();
      for (Future<Double> f : done) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
