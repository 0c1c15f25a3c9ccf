package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kr.codeb.ProviderRegistry;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.runtime.ContainerSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code we doctor} on the seed's SSOT and the {@code mem:} engine: exit codes, the plan, the
 * JSON shape, bad input. The real engines are in {@link DoctorRealEnginesTest}.
 */
class DoctorCommandsTest {
  @TempDir Path dir;

  @Test
  void theSeedsOwnFindingIsDriftAndFixRepairsIt() throws Exception {
    Path ssot = WeRunner.seedCopy(dir, "ssot.json");
    WeRunner.Result found = WeRunner.run("--ssot", ssot.toString(), "doctor").expect(1);
    assertTrue(found.out().contains("ssot-finding ssot owner-mismatch 4101"), found.out());
    assertTrue(found.out().contains("note: containers not compared"), found.out());
    assertTrue(found.out().contains("2 drifts, 2 fixed by 'we doctor --fix'"), found.out());

    byte[] before = Files.readAllBytes(ssot);
    WeRunner.Result plan = WeRunner.run("--ssot", ssot.toString(), "doctor", "--fix").expect(1);
    assertTrue(plan.out().contains("update  ssot  ports.allocated.4101"), plan.out());
    assertTrue(plan.out().contains("not applied: confirm on a terminal, or pass --yes"),
        plan.out());
    assertEquals(new String(before), Files.readString(ssot), "nothing written without --yes");

    WeRunner.Result fixed = WeRunner.run("--ssot", ssot.toString(), "doctor", "--fix", "--yes")
        .expect(0);
    assertTrue(fixed.out().contains("fixed: ssot-finding ssot owner-mismatch 4101"), fixed.out());
    assertTrue(fixed.out().contains("after the fixes: no drift"), fixed.out());
    WeRunner.run("--ssot", ssot.toString(), "doctor").expect(0);
    WeRunner.run("--ssot", ssot.toString(), "ssot", "check").expect(0);
  }

  @Test
  void jsonHasTheStableShape() {
    Path ssot = WeRunner.seedCopy(dir, "ssot.json");
    JsonNode root = WeRunner.run("--ssot", ssot.toString(), "doctor", "--json").expect(1).json();
    assertEquals(List.of("clean", "drifts", "notes", "failures"), fields(root));
    assertFalse(root.get("clean").asBoolean());
    JsonNode d = root.get("drifts").get(0);
    assertEquals(List.of("kind", "area", "subject", "expected", "actual", "fix"), fields(d));
    assertEquals("ssot-finding", d.get("kind").asText());
    assertEquals("ssot", d.get("area").asText());
    assertEquals(List.of("action", "kind", "target", "detail", "automatic"), fields(d.get("fix")));
    assertEquals("update", d.get("fix").get("action").asText());
    assertTrue(d.get("fix").get("automatic").asBoolean());

    JsonNode unconfirmed = WeRunner.run("--ssot", ssot.toString(), "doctor", "--fix", "--json")
        .expect(1).json();
    assertFalse(unconfirmed.get("applied").asBoolean());
    JsonNode applied = WeRunner.run("--ssot", ssot.toString(), "doctor", "--fix", "--yes",
        "--json").expect(0).json();
    assertTrue(applied.get("applied").asBoolean());
    assertTrue(applied.get("outcomes").get(0).get("applied").asBoolean());
    assertTrue(applied.get("after").get("clean").asBoolean());
  }

  @Test
  void aForeignLabelledContainerIsStoppedNeverRemoved() {
    String engine = "mem:doctor-" + UUID.randomUUID().toString().substring(0, 8);
    Path ssot = WeRunner.seedCopy(dir, "ssot.json");
    WeRunner.run("--ssot", ssot.toString(), "ssot", "repair").expect(0);
    try (ContainerRuntime mem = ProviderRegistry.load().containerRuntime(engine)) {
      mem.run(new ContainerSpec("ghost-production-blue", "example/web:1",
          Map.of("codeb.project", "ghost", "codeb.env", "production", "codeb.slot", "blue"),
          Map.of(), List.of(), List.of()));
      JsonNode found = WeRunner.run("--ssot", ssot.toString(), "--runtime", engine, "doctor",
          "--json").expect(1).json();
      assertEquals("container-unowned", found.get("drifts").get(0).get("kind").asText());
      assertEquals("container ghost-production-blue on local",
          found.get("drifts").get(0).get("subject").asText());
      WeRunner.run("--ssot", ssot.toString(), "--runtime", engine, "doctor", "--fix", "--yes")
          .expect(0);
      assertFalse(mem.inspect(new ContainerId("ghost-production-blue")).orElseThrow().isRunning(),
          "stopped, and still there");
      WeRunner.run("--ssot", ssot.toString(), "--runtime", engine, "doctor").expect(0);
    }
  }

  @Test
  void onTheMemFleetAStoppedLiveSlotStartsAndARemovedOneNeedsAPerson() {
    DeployFleet fleet = new DeployFleet(dir);
    try {
      fleet.we("ssot", "repair").expect(0);
      fleet.deploy(DeployFleet.GOOD_V1).expect(0);
      fleet.we("doctor").expect(0);
      try (ContainerRuntime mem = ProviderRegistry.load().containerRuntime(fleet.runtimeUri);
          kr.codeb.proxy.ReverseProxy proxy = ProviderRegistry.load()
              .reverseProxy(fleet.proxyUri)) {
        mem.stop(new ContainerId("acme-production-blue"), java.time.Duration.ZERO);
        proxy.upsert(new kr.codeb.proxy.Route("ghost-production", List.of(),
            new kr.codeb.proxy.Upstream(kr.codeb.model.IpAddress.of("127.0.0.1"), 4999)));
        JsonNode found = fleet.we("doctor", "--json").expect(1).json();
        assertEquals(List.of("container-missing", "route-unknown-project"),
            kinds(found.get("drifts")));
        WeRunner.Result fixed = fleet.we("doctor", "--fix", "--yes").expect(0);
        assertTrue(fixed.out().contains("update  container  acme-production-blue on local"
            + "  start it"), fixed.out());
        assertTrue(fixed.out().contains("delete  route      ghost-production"), fixed.out());
        assertTrue(mem.inspect(new ContainerId("acme-production-blue")).orElseThrow()
            .isRunning());
        assertTrue(proxy.route("ghost-production").isEmpty());

        fleet.removeContainer("acme-production-blue");
        JsonNode missing = fleet.we("doctor", "--json").expect(1).json().get("drifts").get(0);
        assertEquals("container-missing", missing.get("kind").asText());
        assertEquals("manual", missing.get("fix").get("action").asText());
        assertTrue(missing.get("fix").get("detail").asText().contains("--image "
            + DeployFleet.GOOD_V1), missing.toString());
        WeRunner.Result manual = fleet.we("doctor", "--fix", "--yes").expect(1);
        assertTrue(manual.out().contains("nothing CodeB can fix by itself"), manual.out());
      }
    } finally {
      fleet.removeContainers();
    }
  }

  @Test
  void databasesOnTheStorageServerAreStartedOrStoppedNeverCreatedOrRemoved() throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    String app = "mem:dapp-" + id;
    String storage = "mem:dsto-" + id;
    Path ssot = WeRunner.write(dir.resolve("ssot.json"), ("{\"version\":\"7.0.0\","
        + "\"portRanges\":{\"production\":{\"start\":47700,\"end\":47799}},\"projects\":"
        + "{\"shop\":{\"ports\":{\"production\":{\"blue\":47700,\"green\":47701}},"
        + "\"services\":{\"production\":{\"postgres\":{\"port\":55432},\"redis\":{\"port\":"
        + "55433}}}}},\"ports\":{\"allocated\":{\"47700\":{\"project\":\"shop\",\"slot\":"
        + "\"blue\",\"environment\":\"production\"},\"47701\":{\"project\":\"shop\","
        + "\"slot\":\"green\",\"environment\":\"production\"}}}}\n")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Path config = Files.writeString(dir.resolve("we.yaml"), String.join("\n",
        "ssot: " + ssot,
        "servers:",
        "  - name: app1",
        "    roles: [app, edge]",
        "    public: 203.0.113.7",
        "    private: 10.0.0.2",
        "    engines:",
        "      runtime: '" + app + "'",
        "  - name: db1",
        "    roles: [storage]",
        "    public: 203.0.113.8",
        "    private: 10.0.0.3",
        "    engines:",
        "      runtime: '" + storage + "'", ""));
    try (ContainerRuntime db1 = ProviderRegistry.load().containerRuntime(storage)) {
      db1.run(new ContainerSpec("shop-production-postgres", "postgres:16",
          database("shop", "postgres", 55432), Map.of(), List.of(), List.of()));
      db1.stop(new ContainerId("shop-production-postgres"), java.time.Duration.ZERO);
      db1.run(new ContainerSpec("gone-production-redis", "redis:7",
          database("gone", "redis", 55434), Map.of(), List.of(), List.of()));
      JsonNode found = WeRunner.run("--config", config.toString(), "doctor", "--json")
          .expect(1).json();
      assertEquals(List.of("database-missing", "database-missing", "database-unowned"),
          kinds(found.get("drifts")).stream().sorted().toList(), found.toString());
      assertTrue(found.toString().contains("we db create shop --env production --kind redis"),
          "the missing redis is for we db create: " + found);
      WeRunner.Result fixed = WeRunner.run("--config", config.toString(), "doctor", "--fix",
          "--yes").expect(1);
      assertTrue(fixed.out().contains("fixed: database-missing shop production postgres"),
          fixed.out());
      assertTrue(fixed.out().contains("fixed: database-unowned database gone-production-redis"
          + " on db1"), fixed.out());
      assertTrue(db1.inspect(new ContainerId("shop-production-postgres")).orElseThrow()
          .isRunning());
      assertFalse(db1.inspect(new ContainerId("gone-production-redis")).orElseThrow()
          .isRunning(), "stopped, and still there");
      JsonNode after = WeRunner.run("--config", config.toString(), "doctor", "--json")
          .expect(1).json();
      assertEquals(List.of("database-missing"), kinds(after.get("drifts")), after.toString());
      assertEquals("manual", after.at("/drifts/0/fix/action").asText());
      JsonNode audit = WeRunner.run("--config", config.toString(), "audit", "--json").expect(0)
          .json();
      assertTrue(audit.toString().contains("\"target\":\"container:shop-production-postgres\""),
          audit.toString());
      assertTrue(audit.toString().contains("\"action\":\"stop\""), audit.toString());
    }
  }

  private static Map<String, String> database(String project, String kind, int port) {
    return Map.of("codeb.project", project, "codeb.env", "production", "codeb.role",
        "database", "codeb.kind", kind, "codeb.port", String.valueOf(port));
  }

  @Test
  void yesWithoutFixIsBadInput() {
    Path ssot = WeRunner.seedCopy(dir, "ssot.json");
    WeRunner.Result r = WeRunner.run("--ssot", ssot.toString(), "doctor", "--yes").expect(2);
    assertTrue(r.err().contains("--yes only goes with --fix"), r.err());
  }

  private static List<String> kinds(JsonNode drifts) {
    List<String> kinds = new java.util.ArrayList<>();
    drifts.forEach(d -> kinds.add(d.get("kind").asText()));
    return kinds;
  }

  private static List<String> fields(JsonNode n) {
    List<String> names = new java.util.ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
