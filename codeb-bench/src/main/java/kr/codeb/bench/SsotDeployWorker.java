package kr.codeb.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kr.codeb.ProviderRegistry;
import kr.codeb.deploy.DeployContext;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.DeployProgress;
import kr.codeb.deploy.DeployRequest;
import kr.codeb.deploy.DeployResult;
import kr.codeb.deploy.Deployments;
import kr.codeb.deploy.ReleaseStore;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.PortRange;
import kr.codeb.ports.Registry;
import kr.codeb.ports.SsotStore;
import kr.codeb.testkit.MemContainerRuntime;
import kr.codeb.testkit.MemReleaseStore;
import kr.codeb.testkit.MemReverseProxy;
import kr.codeb.testkit.MemSsotStore;

/**
 * One {@code we}-like client of the SSOT: a JVM that runs whole {@link Deployments#deploy} calls
 * in a loop, its engines instant (the in-memory runtime, whose containers answer HTTP, and the
 * in-memory proxy), so that what is left is the deploy's own work and its SSOT work: the
 * registry read, the deploy lock, the ports (allocated on a project's first deploy, read after),
 * the release record, the unlock. bench/capacity.sh starts several at once on one store.
 *
 * <p>{@code SsotDeployWorker STORE SECONDS START_MS ID PROJECTS}: STORE a {@code postgresql://}
 * URI (password from {@code CODEB_POSTGRESQL_PASSWORD}) or {@code mem} (a store of this JVM
 * only: the baseline without a shared SSOT); deploys round-robin over PROJECTS projects of its
 * own ({@code cd<ID>-<n>}), warming up (uncounted) until START_MS (epoch ms), then for SECONDS.
 * Prints {@code WORKER id=.. deploys=.. failed=.. per_s=.. median_ms=.. p99_ms=..}.
 *
 * <p>{@code SsotDeployWorker --fill STORE COUNT}: allocates COUNT projects ({@code fill<n>}) in
 * the store, one after the other, and prints {@code FILL count=.. per_s=..}.
 */
public final class SsotDeployWorker {
  private static final Environment PRODUCTION = Environment.of("production");

  private static final DeployProgress NO_PROGRESS = new DeployProgress() { };

  private SsotDeployWorker() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("--fill")) {
      try (SsotStore ssot = open(args[1])) {
        fill(ssot, Integer.parseInt(args[2]), System.out);
      }
      return;
    }
    String store = args[0];
    int seconds = Integer.parseInt(args[1]);
    long startAt = Long.parseLong(args[2]);
    String id = args[3];
    int projects = Integer.parseInt(args[4]);
    try (SsotStore ssot = open(store);
         ReleaseStore releases = store.equals("mem") ? new MemReleaseStore()
             : ProviderRegistry.load().releaseStore(store)) {
      run(ssot, releases, seconds, startAt, id, projects, System.out);
    }
  }

  static SsotStore open(String store) {
    if (store.equals("mem")) {
      return MemSsotStore.create(Registry.of(Map.of(PRODUCTION, new PortRange(10000, 60000))));
    }
    return ProviderRegistry.load().ssotStore(store);
  }

  /** Allocates {@code count} new projects one after the other; prints the rate. */
  static void fill(SsotStore ssot, int count, PrintStream out) {
    PortOperations ports = new PortOperations(ssot);
    long t0 = System.nanoTime();
    for (int i = 0; i < count; i++) {
      ports.allocate(ProjectName.of(String.format(Locale.ROOT, "fill%05d", i)), PRODUCTION);
    }
    double s = (System.nanoTime() - t0) / 1e9;
    out.printf(Locale.ROOT, "FILL count=%d seconds=%.2f per_s=%.1f%n", count, s, count / s);
  }

  static void run(SsotStore ssot, ReleaseStore releases, int seconds, long startAt, String id,
      int projects, PrintStream out) {
    MemContainerRuntime runtime = MemContainerRuntime.create().serveHttp(true)
        .addImage("localhost/bench/web:a").addImage("localhost/bench/web:b");
    MemReverseProxy proxy = MemReverseProxy.create();
    Deployments deployments = new Deployments(DeployContext.local(ssot, runtime, proxy, releases));
    List<Double> times = new ArrayList<>();
    int failed = 0;
    long i = 0;
    long end = startAt + seconds * 1000L;
    long first = 0;
    long last = 0;
    while (System.currentTimeMillis() < end) {
      String name = "cd" + id + "-" + (i % projects);
      DeployKey key = new DeployKey(ProjectName.of(name), PRODUCTION);
      DeployRequest request = DeployRequest.builder(key,
              i % 2 == 0 ? "localhost/bench/web:a" : "localhost/bench/web:b")
          .drain(Duration.ZERO)
          .hosts(List.of(name + ".bench.test"))
          .lockWait(Duration.ofSeconds(30))
          .build();
      long t0 = System.nanoTime();
      DeployResult r = deployments.deploy(request, NO_PROGRESS);
      long t1 = System.nanoTime();
      i++;
      if (System.currentTimeMillis() < startAt) {
        continue;
      }
      if (first == 0) {
        first = t0;
      }
      last = t1;
      if (r.succeeded()) {
        times.add((t1 - t0) / 1e6);
      } else {
        failed++;
        if (failed <= 3) {
          out.println("# failed: " + r.reason().orElse("?"));
        }
      }
    }
    runtime.close();
    double window = (last - first) / 1e9;
    out.printf(Locale.ROOT, "WORKER id=%s deploys=%d failed=%d seconds=%.2f per_s=%.2f"
        + " median_ms=%.2f p99_ms=%.2f%n", id, times.size(), failed, window,
        window > 0 ? times.size() / window : 0, Stats.percentile(times, 50),
        Stats.percentile(times, 99));
    out.flush();
  }
}
