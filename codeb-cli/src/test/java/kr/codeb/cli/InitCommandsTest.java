package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import kr.codeb.ProviderRegistry;
import kr.codeb.dns.DnsProvider;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.model.IpAddress;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.runtime.ContainerSpec;
import kr.codeb.runtime.PortBinding;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code we init} and {@code we destroy} on the {@code mem:} proxy and DNS, a seed SSOT copy. */
class InitCommandsTest {
  @TempDir Path dir;
  InitMemFleet fleet;
  Path ssot;
  Path repo;
  String proxy;
  String dns;

  @BeforeEach
  void fleet() throws Exception {
    fleet = new InitMemFleet(dir, "init");
    ssot = fleet.ssot;
    repo = fleet.repo;
    proxy = fleet.proxy;
    dns = fleet.dns;
  }

  WeRunner.Result we(String... args) {
    return fleet.we(args);
  }

  WeRunner.Result init(String... more) {
    return fleet.init(more);
  }

  @Test
  void initPlansAppliesThenHasNothingToDoAndDestroyUndoesIt() throws Exception {
    byte[] seed = WeRunner.bytes(ssot);
    WeRunner.Result plan = init("--plan").expect(0);
    assertTrue(plan.out().contains("4 step(s) to apply; plan only"), plan.out());
    assertArrayEquals(seed, WeRunner.bytes(ssot), "--plan writes nothing");
    assertFalse(Files.exists(dir.resolve("init")));

    WeRunner.Result first = init().expect(0);
    assertTrue(first.out().contains("[1/8] ports (SSOT ports): create"), first.out());
    assertTrue(first.out().contains("acme production: done"), first.out());
    assertTrue(Files.exists(dir.resolve("init/acme-production.json")));
    try (ReverseProxy p = ProviderRegistry.load().reverseProxy(proxy)) {
      assertEquals(List.of("acme.example"), p.route("acme-production").orElseThrow().hosts());
    }

    WeRunner.Result second = init().expect(0);
    assertTrue(second.out().contains("acme production: nothing to do"), second.out());
    long start = System.nanoTime();
    JsonNode again = init("--plan", "--json").expect(0).json();
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.println("we init --plan on a set-up project (mem providers, in-process): "
        + millis + " ms");
    assertEquals(0, again.get("changes").asInt());
    assertEquals("unchanged", again.get("steps").get(5).get("action").asText());

    WeRunner.Result refused = we("destroy", "acme", "--env", "production").expect(2);
    assertTrue(refused.err().contains("pass --yes"), refused.err());
    try (ReverseProxy p = ProviderRegistry.load().reverseProxy(proxy)) {
      assertTrue(p.route("acme-production").isPresent(), "nothing removed without --yes");
    }
    WeRunner.Result destroyed = we("destroy", "acme", "--env", "production", "--yes").expect(0);
    assertTrue(destroyed.out().contains("site: removed route acme-production"),
        destroyed.out());
    try (ReverseProxy p = ProviderRegistry.load().reverseProxy(proxy);
        DnsProvider d = ProviderRegistry.load().dnsProvider(dns)) {
      assertTrue(p.route("acme-production").isEmpty());
      assertTrue(d.zones().isEmpty());
    }
    assertFalse(Files.exists(repo.resolve(".github/workflows/acme-production.yml")));
    assertFalse(Files.exists(dir.resolve("init/acme-production.json")));
    assertEquals(WeRunner.tree(dir.resolve("ssot.json")).get("projects").toString().contains(
        "\"acme\""), false, "the ports init took are released");
    we("destroy", "acme", "--env", "production", "--yes").expect(0);
  }

  @Test
  void withAnImageTheFirstDeployIsAStepAndDestroyRemovesItsContainers() throws Exception {
    String runtime = "mem:init-rt-" + Long.toHexString(ThreadLocalRandom.current().nextLong()
        & 0xffffffffL) + "?http=true";
    try {
      JsonNode first = init("--runtime", runtime, "--image", DeployFleet.GOOD_V1, "--json")
          .expect(0).json();
      JsonNode deploy = first.get("steps").get(8);
      assertEquals("deploy", deploy.get("step").asText());
      assertEquals("create", deploy.get("action").asText(), deploy.toString());
      JsonNode again = init("--runtime", runtime, "--image", DeployFleet.GOOD_V1, "--json")
          .expect(0).json();
      assertFalse(again.get("changed").asBoolean(), again.toString());
      try (ContainerRuntime r = ProviderRegistry.load().containerRuntime(runtime)) {
        assertEquals(1, r.list(Map.of("codeb.project", "acme")).size(), "one slot deployed");
      }
      we("--runtime", runtime, "destroy", "acme", "--env", "production", "--yes").expect(0);
      try (ContainerRuntime r = ProviderRegistry.load().containerRuntime(runtime)) {
        assertTrue(r.list(Map.of()).isEmpty(), "the deploy's containers are gone");
      }
    } finally {
      try (ContainerRuntime r = ProviderRegistry.load().containerRuntime(runtime)) {
        r.list(Map.of()).forEach(c -> r.remove(c.id()));
      }
    }
  }

  @Test
  void portsAContainerOnTheAppServerPublishesAreNotAllocated() throws Exception {
    String runtime = "mem:init-ports-" + Long.toHexString(ThreadLocalRandom.current()
        .nextLong() & 0xffffffffL);
    try (ContainerRuntime r = ProviderRegistry.load().containerRuntime(runtime)) {
      // The pair init takes on an empty app server, given back by destroy.
      int[] first = allocated(init("--runtime", runtime, "--json").expect(0).json());
      we("--runtime", runtime, "destroy", "acme", "--env", "production", "--yes").expect(0);
      // A container started by hand publishes the first port of that pair.
      r.run(new ContainerSpec("by-hand", "nginx:1.27", Map.of(), Map.of(),
          List.of(new PortBinding(IpAddress.of("0.0.0.0"), first[0], 80)), List.of()));
      int[] second = allocated(init("--runtime", runtime, "--json").expect(0).json());
      assertTrue(second[0] != first[0] && second[1] != first[0], "allocated "
          + second[0] + "/" + second[1] + " although a container publishes " + first[0]);
    } finally {
      try (ContainerRuntime r = ProviderRegistry.load().containerRuntime(runtime)) {
        r.list(Map.of()).forEach(c -> r.remove(c.id()));
      }
    }
  }

  @Test
  void withAnImageAnAppEngineThatIsDownFailsANamedStepAndResumes() throws Exception {
    String down = "docker+unix://" + dir.resolve("no-engine.sock");
    WeRunner.Result failed = init("--runtime", down, "--image", DeployFleet.GOOD_V1).expect(1);
    assertTrue(failed.err().contains("init step 1/9 (ports"), failed.err());
    assertTrue(failed.err().contains("run the same command again to resume at step 1"),
        failed.err());
    // The engine back (here: another one), the same project resumes and deploys.
    String runtime = "mem:init-back-" + Long.toHexString(ThreadLocalRandom.current()
        .nextLong() & 0xffffffffL) + "?http=true";
    try {
      JsonNode resumed = init("--runtime", runtime, "--image", DeployFleet.GOOD_V1, "--json")
          .expect(0).json();
      assertEquals("deploy", resumed.get("steps").get(8).get("step").asText());
      assertEquals("create", resumed.get("steps").get(8).get("action").asText());
    } finally {
      try (ContainerRuntime r = ProviderRegistry.load().containerRuntime(runtime)) {
        r.list(Map.of()).forEach(c -> r.remove(c.id()));
      }
    }
  }

  /** The blue and green port the ports step of {@code result} allocated. */
  private static int[] allocated(JsonNode result) {
    JsonNode ports = result.get("steps").get(0);
    assertEquals("ports", ports.get("step").asText());
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("blue (\\d+), green (\\d+) \\(allocated\\)")
        .matcher(ports.get("details").get(0).asText());
    assertTrue(m.matches(), ports.toString());
    return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
  }

  @Test
  void badInputExitsTwoAndWritesNothing() throws Exception {
    byte[] seed = WeRunner.bytes(ssot);
    WeRunner.Result badDomain = we("init", "acme", "--domain", "not a domain", "--ip",
        "203.0.113.30").expect(2);
    assertTrue(badDomain.err().contains("invalid domain"), badDomain.err());
    WeRunner.Result badKind = init("--with", "mysql").expect(2);
    assertTrue(badKind.err().contains("allowed are postgres, redis"), badKind.err());
    WeRunner.Result badEnv = init("--env", "nosuch").expect(2);
    assertTrue(badEnv.err().contains("'nosuch' is not defined"), badEnv.err());
    WeRunner.Result noStorage = init("--with", "postgres").expect(2);
    assertTrue(noStorage.err().contains("storage server"), noStorage.err());
    WeRunner.Result noEdge = we("init", "acme", "--domain", "acme.example").expect(2);
    assertTrue(noEdge.err().contains("--ip ADDRESS"), noEdge.err());
    assertArrayEquals(seed, WeRunner.bytes(ssot));
    assertFalse(Files.exists(dir.resolve("init")));
    assertFalse(Files.exists(dir.resolve("env")));
    try (ReverseProxy p = ProviderRegistry.load().reverseProxy(proxy)) {
      assertTrue(p.routes().isEmpty());
    }
  }
}
