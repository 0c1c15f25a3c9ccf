package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import kr.codeb.ProviderRegistry;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.proxy.Route;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ContainerRuntime;

/**
 * One test's fleet: a temp copy of the seed's SSOT (its locks and history beside it), and an
 * in-memory runtime and proxy of their own (unique {@code mem:NAME}s, shared by every
 * {@code we} run of the test, as a real engine would be). The runtime serves HTTP on the
 * published ports (127.0.0.1:4104 and up), so {@link #removeContainers} must run after each test.
 */
final class DeployFleet {
  /** An image the in-memory runtime runs as a healthy HTTP app (200 on /health). */
  static final String GOOD_V1 = "ghcr.io/acme/web:1";
  static final String GOOD_V2 = "ghcr.io/acme/web:2";
  /** An image whose container exits at once (the in-memory runtime: "exit" in the name). */
  static final String CRASHING = "ghcr.io/acme/web-exit:3";

  final Path ssot;
  final String runtimeUri;
  final String proxyUri;

  DeployFleet(Path dir) {
    ssot = WeRunner.seedCopy(dir, "ssot.json");
    String id = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL);
    // http=true: running containers answer HTTP on their published ports (the health gate).
    runtimeUri = "mem:cli-" + id + "?http=true";
    proxyUri = "mem:cli-" + id;
  }

  /** Runs {@code we} with this fleet's --ssot, --runtime and --proxy in front. */
  WeRunner.Result we(String... args) {
    return WeRunner.run(withFleet(args));
  }

  WeRunner.Result we(Map<String, String> env, String... args) {
    return WeRunner.run(env, withFleet(args));
  }

  private String[] withFleet(String... args) {
    List<String> all = new ArrayList<>(List.of("--ssot", ssot.toString(),
        "--runtime", runtimeUri, "--proxy", proxyUri));
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }

  /** A fast deploy of {@code image} to acme production (short drain and gate), as JSON. */
  WeRunner.Result deploy(String image, String... more) {
    List<String> all = new ArrayList<>(List.of("deploy", "acme", "--env", "production",
        "--image", image, "--drain", "0s", "--health-timeout", "10s", "--json"));
    all.addAll(List.of(more));
    return we(all.toArray(String[]::new));
  }

  List<ContainerInfo> containers() {
    try (ContainerRuntime runtime = ProviderRegistry.load().containerRuntime(runtimeUri)) {
      return runtime.list(Map.of());
    }
  }

  /** Removes every container (and so frees the host ports their HTTP servers hold). */
  void removeContainers() {
    try (ContainerRuntime runtime = ProviderRegistry.load().containerRuntime(runtimeUri)) {
      runtime.list(Map.of()).forEach(c -> runtime.remove(c.id()));
    }
  }

  /** Removes one container by name, as a deploy killed half-way through replacing it would. */
  void removeContainer(String name) {
    try (ContainerRuntime runtime = ProviderRegistry.load().containerRuntime(runtimeUri)) {
      assertTrue(runtime.remove(new ContainerId(name)), name);
    }
  }

  List<Route> routes() {
    try (ReverseProxy proxy = ProviderRegistry.load().reverseProxy(proxyUri)) {
      return proxy.routes();
    }
  }
}
