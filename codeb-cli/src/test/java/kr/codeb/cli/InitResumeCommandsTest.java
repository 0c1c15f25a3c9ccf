package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import kr.codeb.ProviderRegistry;
import kr.codeb.dns.DnsProvider;
import kr.codeb.proxy.ReverseProxy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code we init} failing at a step and resumed by the same command, on the {@code mem:} proxy
 * and DNS and a seed SSOT copy: the message, the exit code, the journal, the resumed run.
 */
class InitResumeCommandsTest {
  @TempDir Path dir;
  Path ssot;
  Path config;
  Path repo;
  String proxy;
  String dns;

  @BeforeEach
  void fleet() throws Exception {
    ssot = WeRunner.seedCopy(dir, "ssot.json");
    config = dir.resolve("fleet.yaml");
    Files.writeString(config, "envDir: " + dir.resolve("env") + "\n");
    repo = Files.createDirectories(dir.resolve("repo"));
    String id = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL);
    proxy = "mem:resume-" + id;
    dns = "mem:resume-" + id;
  }

  WeRunner.Result init(String... more) {
    List<String> all = new ArrayList<>(List.of("--config", config.toString(), "--ssot",
        ssot.toString(), "--proxy", proxy, "--dns", dns, "init", "acme", "--domain",
        "acme.example", "--ip", "203.0.113.30", "--repo", repo.toString()));
    all.addAll(List.of(more));
    return WeRunner.run(all.toArray(String[]::new));
  }

  Path journal() {
    return dir.resolve("init/acme-production.json");
  }

  /** Each step id of the journal with its status. */
  Map<String, String> statuses() {
    Map<String, String> out = new HashMap<>();
    for (JsonNode s : WeRunner.tree(journal()).get("steps")) {
      out.put(s.get("step").asText(), s.get("status").asText());
    }
    return out;
  }

  @Test
  void aFailedStepStopsTheRunNamesItAndTheSameCommandResumesThere() throws Exception {
    // .github as a plain file: the workflow folder cannot be made (works as root too).
    Path blocker = Files.writeString(repo.resolve(".github"), "not a folder\n");

    WeRunner.Result failed = init();
    assertEquals(1, failed.code(), () -> "exit code\n" + failed.out() + failed.err());
    assertTrue(failed.err().contains("init step 7/8 (workflow: GitHub Actions workflow)"
        + " failed: cannot create " + repo.resolve(".github/workflows")), failed.err());
    assertTrue(failed.err().contains("steps 1-6 are done (journal " + journal() + ")"),
        failed.err());
    assertTrue(failed.err().contains("run the same command again to resume at step 7"),
        failed.err());
    assertTrue(failed.out().contains("[6/8] site (Caddy site): create"), failed.out());
    assertFalse(failed.out().contains("[8/8]"), "nothing after the failed step ran: "
        + failed.out());
    Map<String, String> after = statuses();
    assertEquals("done", after.get("dns"));
    assertEquals("done", after.get("site"));
    assertEquals("failed", after.get("workflow"));
    assertFalse(after.containsKey("tls"), "the step after the failure is not in the journal");
    try (ReverseProxy p = ProviderRegistry.load().reverseProxy(proxy)) {
      assertEquals(List.of("acme.example"), p.route("acme-production").orElseThrow().hosts(),
          "what the done steps made stays");
    }

    Files.delete(blocker);
    WeRunner.Result resumed = init().expect(0);
    assertTrue(resumed.out().contains("[1/8] ports (SSOT ports): unchanged"), resumed.out());
    assertTrue(resumed.out().contains("[5/8] dns (DNS zone and records): unchanged"),
        resumed.out());
    assertTrue(resumed.out().contains("[7/8] workflow (GitHub Actions workflow): create"),
        resumed.out());
    assertTrue(resumed.out().contains("note: resuming: the last run failed at step workflow"
        + " (cannot create"), resumed.out());
    assertTrue(resumed.out().contains("acme production: done"), resumed.out());
    assertTrue(Files.isRegularFile(repo.resolve(".github/workflows/acme-production.yml")));
    assertEquals("done", statuses().get("workflow"));
    assertEquals("done", statuses().get("tls"));
    try (DnsProvider d = ProviderRegistry.load().dnsProvider(dns)) {
      assertEquals(1, d.zones().size(), "the resumed run made no second zone");
    }

    byte[] journalBytes = Files.readAllBytes(journal());
    WeRunner.Result third = init().expect(0);
    assertTrue(third.out().contains("acme production: nothing to do"), third.out());
    assertFalse(third.out().contains("note: resuming"), third.out());
    assertTrue(java.util.Arrays.equals(journalBytes, Files.readAllBytes(journal())),
        "a run with nothing to do leaves the journal as it is");
  }
}
