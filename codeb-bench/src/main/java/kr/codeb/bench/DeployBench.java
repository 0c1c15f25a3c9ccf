package kr.codeb.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
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
import kr.codeb.ports.SsotStore;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.ssot.FileReleaseStore;

/**
 * The library side of the deploy benchmark: one warm JVM, one {@link Deployments#deploy} per
 * line read from stdin, alternating two images of one project (drain 0). bench/deploy.sh drives
 * it in lock-step with the shell-script baseline and {@code we deploy}.
 *
 * <p>{@code DeployBench SSOT RUNTIME_URI PROXY_URI PROJECT HOST IMAGE_A IMAGE_B}
 * <p>Per line read it prints {@code ok TOTAL_MS prep=.. run=.. gate=.. attempts=.. switch=..}
 * (milliseconds): prep = SSOT read, lock, allocate (engine list) and live-slot lookup; run =
 * remove + create + start; gate = health gate; switch = route switch, release record, image
 * prune, unlock. {@code fail ...} when the deploy did not succeed.
 */
public final class DeployBench {
  private DeployBench() {}

  /** Timestamps the deploy's progress callbacks. */
  static final class Phases implements DeployProgress {
    long begin;
    long replacing;
    long waiting;
    long switching;
    int attempts;

    void reset() {
      begin = System.nanoTime();
      replacing = waiting = switching = 0;
      attempts = 0;
    }

    @Override
    public void step(String d) {
      long now = System.nanoTime();
      if (d.startsWith("replacing")) {
        replacing = now;
      } else if (d.startsWith("waiting")) {
        waiting = now;
      } else if (d.startsWith("switching")) {
        switching = now;
      }
    }

    @Override
    public void healthAttempt(int attempt, Duration elapsed, String lastStatus) {
      attempts = attempt;
    }

    String describe(long end) {
      return String.format(Locale.ROOT, "prep=%.1f run=%.1f gate=%.1f attempts=%d switch=%.1f",
          ms(replacing - begin), ms(waiting - replacing), ms(switching - waiting), attempts,
          ms(end - switching));
    }
  }

  static double ms(long nanos) {
    return nanos / 1e6;
  }

  public static void main(String[] args) throws Exception {
    Path ssotFile = Path.of(args[0]);
    DeployKey key = new DeployKey(ProjectName.of(args[3]), Environment.of("production"));
    List<String> images = List.of(args[5], args[6]);
    ProviderRegistry providers = ProviderRegistry.load();
    try (SsotStore ssot = providers.ssotStore(ssotFile.toString());
         ContainerRuntime runtime = providers.containerRuntime(args[1]);
         ReverseProxy proxy = providers.reverseProxy(args[2]);
         ReleaseStore releases = FileReleaseStore.besideSsot(ssotFile)) {
      Deployments deployments =
          new Deployments(DeployContext.local(ssot, runtime, proxy, releases));
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      Phases phases = new Phases();
      int i = 0;
      String line;
      while ((line = in.readLine()) != null && !line.equals("quit")) {
        DeployRequest request = DeployRequest.builder(key, images.get(i++ % 2))
            .drain(Duration.ZERO)
            .hosts(List.of(args[4]))
            .build();
        phases.reset();
        long t0 = System.nanoTime();
        DeployResult r = deployments.deploy(request, phases);
        long t1 = System.nanoTime();
        System.out.println((r.succeeded() ? "ok " : "fail ")
            + String.format(Locale.ROOT, "%.1f ", ms(t1 - t0)) + phases.describe(t1)
            + (r.succeeded() ? "" : " reason=" + r.reason().orElse("?").replace(' ', '_')));
        System.out.flush();
      }
    }
  }
}
