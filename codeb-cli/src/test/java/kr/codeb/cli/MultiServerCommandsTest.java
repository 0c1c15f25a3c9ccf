package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import kr.codeb.ProviderRegistry;
import kr.codeb.runtime.ContainerRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's wiring of a project listed on two app servers of the config file, on in-memory
 * engines (each publishing on its own loopback address): deploy, slot, routes, health, and
 * logs and exec on one server picked with --server.
 */
class MultiServerCommandsTest {
  @TempDir Path dir;
  Path config;
  String one;
  String two;

  @BeforeEach
  void fleet() throws IOException {
    Path ssot = WeRunner.seedCopy(dir, "ssot.json");
    String id = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL);
    one = "mem:ms1-" + id + "?http=true";
    two = "mem:ms2-" + id + "?http=true";
    config = Files.writeString(dir.resolve("fleet.yaml"), "ssot: " + ssot + "\n"
        + "servers:\n"
        + "  - { name: app1, roles: [app], public: 127.0.0.2, private: 127.0.0.2,"
        + " publish: 127.0.0.2, projects: [acme], engines: { runtime: '" + one + "' } }\n"
        + "  - { name: app2, roles: [app], public: 127.0.0.3, private: 127.0.0.3,"
        + " publish: 127.0.0.3, projects: [acme], engines: { runtime: '" + two + "' } }\n"
        + "  - { name: edge, roles: [edge], public: 127.0.0.4, private: 127.0.0.4,"
        + " engines: { proxy: 'mem:ms-" + id + "' } }\n");
  }

  @AfterEach
  void removeContainers() {
    for (String uri : List.of(one, two)) {
      try (ContainerRuntime runtime = ProviderRegistry.load().containerRuntime(uri)) {
        runtime.list(Map.of()).forEach(c -> runtime.remove(c.id()));
      }
    }
  }

  WeRunner.Result we(String... args) {
    List<String> all = new ArrayList<>(List.of("--config", config.toString()));
    all.addAll(List.of(args));
    return WeRunner.run(all.toArray(String[]::new));
  }

  @Test
  void aProjectOnTwoServersDeploysToBothAndLogsAndExecPickOne() {
    JsonNode deployed = we("deploy", "acme", "--env", "production", "--image",
        DeployFleet.GOOD_V1, "--drain", "0s", "--health-timeout", "10s", "--json").expect(0)
        .json();
    assertEquals("deployed", deployed.get("outcome").asText(), deployed.toString());
    assertEquals("[\"app1\",\"app2\"]", deployed.get("servers").toString());
    int port = deployed.get("port").asInt();

    JsonNode slot = we("slot", "acme", "--env", "production", "--json").expect(0).json();
    JsonNode blue = slot.get("slots").get(0);
    assertEquals(2, blue.get("servers").size(), blue.toString());
    assertEquals("app2", blue.get("servers").get(1).get("server").asText());
    assertEquals("running", blue.get("servers").get(1).get("container").get("state").asText());
    WeRunner.Result table = we("slot", "acme", "--env", "production").expect(0);
    assertTrue(table.out().contains("SERVER"), table.out());
    assertEquals(2, table.out().lines().filter(l -> l.matches("\\*\\s+blue\\s.*")).count(),
        table.out());

    JsonNode routes = we("routes", "--json").expect(0).json().get("routes");
    assertEquals("[\"127.0.0.2:" + port + "\",\"127.0.0.3:" + port + "\"]",
        routes.get(0).get("upstreams").toString());
    JsonNode health = we("health", "acme", "--env", "production", "--json").expect(0).json();
    assertEquals(2, health.get("servers").size(), health.toString());

    WeRunner.Result which = we("logs", "acme", "--env", "production").expect(2);
    assertTrue(which.err().contains("--server") && which.err().contains("[app1, app2]"),
        which.err());
    WeRunner.Result unknown = we("logs", "acme", "--env", "production", "--server", "app9")
        .expect(2);
    assertTrue(unknown.err().contains("app9"), unknown.err());
    assertEquals(DeployFleet.GOOD_V1 + ": running (mem)\n", we("logs", "acme", "--env",
        "production", "--server", "app2").expect(0).out());
    assertEquals("hi\n", we("exec", "acme", "--env", "production", "--server", "app1", "--",
        "echo", "hi").expect(0).out());
  }
}
