package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code we audit} after changes to every kind of system, over the in-memory engines and a file
 * SSOT (the log beside it): each change is one entry with the actor and command, and no value
 * of the app's environment is anywhere in the log.
 */
class AuditCommandsTest {
  private static final String SECRET = "pw-" + UUID.randomUUID();
  private static final String ENV_SECRET = "tok-" + UUID.randomUUID();

  @TempDir Path dir;
  DeployFleet fleet;
  String dnsUri;
  String firewallUri;
  Map<String, String> env;

  @BeforeEach
  void setUp() throws Exception {
    fleet = new DeployFleet(dir);
    String id = UUID.randomUUID().toString().substring(0, 8);
    dnsUri = "mem:audit-" + id;
    firewallUri = "mem:audit-" + id + "?groups=storage";
    Path config = Files.writeString(dir.resolve("we.yaml"), "envDir: " + dir.resolve("env")
        + "\n");
    env = Map.of("CODEB_CONFIG", config.toString(), "CODEB_ACTOR", "alice@laptop");
  }

  @AfterEach
  void stop() {
    fleet.removeContainers();
  }

  private WeRunner.Result we(String... args) {
    List<String> all = new ArrayList<>(List.of("--dns", dnsUri, "--firewall", firewallUri));
    all.addAll(List.of(args));
    return fleet.we(env, all.toArray(String[]::new));
  }

  @Test
  void everyChangeIsRecordedWithoutItsSecrets() throws Exception {
    fleet.we(env, "deploy", "acme", "--env", "production", "--image", DeployFleet.GOOD_V1,
        "--drain", "0s", "--health-timeout", "10s", "-e", "DB_PASSWORD=" + SECRET).expect(0);
    we("domain", "add", "acme.example", "--project", "acme", "--env", "production", "--ip",
        "203.0.113.8").expect(0);
    we("firewall", "allow", "--group", "storage", "--port", "5432", "--from", "10.1.2.3/32")
        .expect(0);
    we("env", "set", "acme", "--env", "production", "API_TOKEN=" + ENV_SECRET).expect(0);
    // Idempotent repeats change nothing and add no entry.
    int before = we("audit", "--json").expect(0).json().get("entries").size();
    we("firewall", "allow", "--group", "storage", "--port", "5432", "--from", "10.1.2.3/32")
        .expect(0);
    we("domain", "add", "acme.example", "--project", "acme", "--env", "production", "--ip",
        "203.0.113.8").expect(0);
    JsonNode all = we("audit", "--json").expect(0).json();
    assertEquals(before, all.get("entries").size(), all.toString());

    List<String> lines = new ArrayList<>();
    all.get("entries").forEach(e -> lines.add(e.get("action").asText() + " "
        + e.get("target").asText()));
    assertTrue(lines.contains("create container:acme-production-blue"), lines.toString());
    assertTrue(lines.contains("create route:acme-production"), lines.toString());
    assertTrue(lines.contains("create zone:acme.example."), lines.toString());
    assertTrue(lines.contains("create record:acme.example./acme.example./A"), lines.toString());
    assertTrue(lines.contains("create firewall:storage/tcp/5432/10.1.2.3/32"), lines.toString());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("create env:")
        && l.endsWith("acme-production.env")), lines.toString());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("update route:acme-production")),
        "the domain's host was added to the route: " + lines);

    JsonNode container = find(all, "container:acme-production-blue");
    assertEquals("alice@laptop", container.get("actor").asText());
    assertTrue(container.get("command").asText().startsWith("we "), container.toString());
    assertEquals("mem", container.get("provider").asText());
    assertEquals("acme", container.get("project").asText());
    assertTrue(container.get("before").isNull());
    assertTrue(container.at("/after/env").toString().contains("DB_PASSWORD"), container.toString());
    JsonNode envEntry = find(all, "env:");
    assertEquals("[\"API_TOKEN\"]", envEntry.at("/after/added").toString());

    JsonNode acme = we("audit", "--json", "--project", "acme").expect(0).json();
    List<String> projects = new ArrayList<>();
    acme.get("entries").forEach(e -> projects.add(e.get("project").asText()));
    assertTrue(projects.stream().allMatch("acme"::equals), projects.toString());
    assertTrue(acme.toString().contains("route:acme-production"), acme.toString());

    String log = Files.readString(Path.of(fleet.ssot + ".audit.jsonl"));
    assertFalse(log.contains(SECRET), "the deploy's env value is in the audit log");
    assertFalse(log.contains(ENV_SECRET), "the env file's value is in the audit log");
    assertTrue(log.contains("DB_PASSWORD") && log.contains("API_TOKEN"), "names are kept");
    String text = we("audit").expect(0).out();
    assertTrue(text.contains("alice@laptop"), text);
  }

  @Test
  void withAnHttpsSsotTheChangesGoToThisMachinesLog() throws Exception {
    String ssot = "https://127.0.0.1:1/ssot";
    Path named = dir.resolve("named").resolve("audit.jsonl");
    WeRunner.run(Map.of("CODEB_AUDIT_LOG", named.toString(), "CODEB_ACTOR", "bob@ci"), "--ssot",
        ssot, "--firewall", firewallUri, "firewall", "allow", "--group", "storage", "--port",
        "6379", "--from", "10.1.2.4/32").expect(0);
    JsonNode entries = WeRunner.run(Map.of("CODEB_AUDIT_LOG", named.toString()), "--ssot", ssot,
        "audit", "--json").expect(0).json();
    assertEquals(named.toString(), entries.get("log").asText());
    assertEquals("create firewall:storage/tcp/6379/10.1.2.4/32", entries.at("/entries/0/action")
        .asText() + " " + entries.at("/entries/0/target").asText());
    assertEquals("bob@ci", entries.at("/entries/0/actor").asText());
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(named)));

    Path state = dir.resolve("state");
    WeRunner.run(Map.of("XDG_STATE_HOME", state.toString()), "--ssot", ssot, "--firewall",
        firewallUri, "firewall", "revoke", "--group", "storage", "--port", "6379", "--from",
        "10.1.2.4/32").expect(0);
    String log = Files.readString(state.resolve("codeb").resolve("audit.jsonl"));
    assertTrue(log.contains("\"action\":\"delete\"") && log.contains("6379"), log);
  }

  private static JsonNode find(JsonNode all, String targetPrefix) {
    for (JsonNode e : all.get("entries")) {
      if (e.get("target").asText().startsWith(targetPrefix)) {
        return e;
      }
    }
    throw new AssertionError("no entry for " + targetPrefix + " in " + all);
  }
}
