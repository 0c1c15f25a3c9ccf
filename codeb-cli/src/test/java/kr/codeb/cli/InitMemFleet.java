package kr.codeb.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What {@code we init} runs on in the CLI's mem tests: a seed SSOT copy, a config file naming
 * an env folder, a repository folder, and a {@code mem:} proxy and DNS of their own.
 */
final class InitMemFleet {
  final Path ssot;
  final Path config;
  final Path repo;
  final String proxy;
  final String dns;

  InitMemFleet(Path dir, String memPrefix) throws IOException {
    ssot = WeRunner.seedCopy(dir, "ssot.json");
    config = dir.resolve("fleet.yaml");
    Files.writeString(config, "envDir: " + dir.resolve("env") + "\n");
    repo = Files.createDirectories(dir.resolve("repo"));
    String id = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL);
    proxy = "mem:" + memPrefix + "-" + id;
    dns = "mem:" + memPrefix + "-" + id;
  }

  /** {@code we} with this fleet's config, SSOT, proxy and DNS before {@code args}. */
  WeRunner.Result we(String... args) {
    List<String> all = new ArrayList<>(List.of("--config", config.toString(), "--ssot",
        ssot.toString(), "--proxy", proxy, "--dns", dns));
    all.addAll(List.of(args));
    return WeRunner.run(all.toArray(String[]::new));
  }

  /** {@code we init acme --domain acme.example --ip 203.0.113.30 --repo REPO} and {@code more}. */
  WeRunner.Result init(String... more) {
    List<String> all = new ArrayList<>(List.of("init", "acme", "--domain", "acme.example",
        "--ip", "203.0.113.30", "--repo", repo.toString()));
    all.addAll(List.of(more));
    return we(all.toArray(String[]::new));
  }
}
