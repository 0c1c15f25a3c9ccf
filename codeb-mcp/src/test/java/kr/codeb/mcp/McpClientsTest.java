package kr.codeb.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import kr.codeb.testkit.SeedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code we mcp} driven over stdio by clients CodeB did not write: the TypeScript SDK's client
 * and the MCP inspector's CLI, from npm. Lists and schemas, the seed's 4101 finding, bad
 * arguments, and a real deploy, slot status and rollback on Docker and Caddy; and a session
 * that used secrets, with every byte the server wrote searched for them. Real engines: run
 * under {@code flock /tmp/work/engines.lock}.
 */
class McpClientsTest {
  static final Set<String> TOOLS = Set.of("ssot_show", "ssot_check", "ssot_allocate",
      "ssot_release", "deploy", "slot_status", "promote", "rollback", "health", "routes",
      "logs", "domain_add", "domain_remove", "domain_list", "firewall_list", "firewall_allow",
      "firewall_revoke", "lock_show", "lock_break", "env_keys", "env_set", "doctor", "init_plan",
      "init_apply");
  static final Set<String> READ_ONLY = Set.of("ssot_show", "ssot_check", "slot_status",
      "health", "routes", "logs", "domain_list", "firewall_list", "lock_show", "env_keys",
      "init_plan");
  static final Set<String> DESTRUCTIVE = Set.of("ssot_release", "rollback", "domain_remove",
      "firewall_revoke", "lock_break", "init_apply");

  @TempDir Path dir;

  private Path seedCopy() throws Exception {
    Path ssot = dir.resolve("seed-ssot.json");
    Files.write(ssot, SeedData.ssotBytes());
    return ssot;
  }

  private static Map<String, Object> call(String label, String tool, Map<String, ?> args) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("label", label);
    c.put("tool", tool);
    c.put("arguments", args);
    return c;
  }

  private static Map<String, Object> plan(List<String> command, Map<String, String> env,
      List<Map<String, Object>> calls) {
    Map<String, Object> plan = new LinkedHashMap<>();
    plan.put("command", command.get(0));
    plan.put("args", command.subList(1, command.size()));
    plan.put("env", McpServerProcess.environment(env));
    plan.put("calls", calls);
    return plan;
  }

  @Test
  void typeScriptClientSeesDescribedToolsTheSeedsFindingAndToolErrorsForBadArguments()
      throws Exception {
    NodeClients clients = NodeClients.require(dir);
    Path ssot = seedCopy();
    byte[] before = Files.readAllBytes(ssot);
    JsonNode report = clients.tsSession(dir, plan(McpServerProcess.command(),
        Map.of("CODEB_SSOT", ssot.toString()), List.of(
            call("check", "ssot_check", Map.of()),
            call("badProject", "ssot_allocate", Map.of("project", "Bad Name!",
                "environment", "production")),
            call("noImage", "deploy", Map.of("project", "vsvs-kr", "environment",
                "production")),
            call("noConfirm", "lock_break", Map.of("project", "vsvs-kr", "environment",
                "production")),
            call("unknownField", "ssot_check", Map.of("bogus", 1)),
            call("badSlot", "promote", Map.of("project", "vsvs-kr", "environment",
                "production", "slot", "purple")),
            call("wrongType", "deploy", Map.of("project", "vsvs-kr", "environment",
                "production", "image", "x:1", "containerPort", "eighty")),
            call("doctorNoConfirm", "doctor", Map.of("fix", true)),
            call("doctorReport", "doctor", Map.of()),
            call("afterBadCalls", "ssot_show", Map.of()))));

    Set<String> names = new TreeSet<>();
    for (JsonNode tool : report.get("tools")) {
      String name = tool.get("name").asText();
      names.add(name);
      assertEquals("valid", tool.get("inputSchema").asText(), name + " input schema");
      assertEquals("valid", tool.get("outputSchema").asText(), name + " output schema");
      assertEquals(0, tool.get("undescribed").size(), name + ": every field described");
      JsonNode hints = tool.get("annotations");
      assertEquals(READ_ONLY.contains(name), hints.path("readOnlyHint").asBoolean(), name);
      assertEquals(DESTRUCTIVE.contains(name), hints.path("destructiveHint").asBoolean(), name);
      boolean confirms = false;
      for (JsonNode r : tool.get("required")) {
        confirms |= r.asText().equals("confirm");
      }
      assertEquals(DESTRUCTIVE.contains(name), confirms, name + " requires confirm");
    }
    assertEquals(new TreeSet<>(TOOLS), names);

    JsonNode check = report.get("calls").get("check");
    assertFalse(check.path("isError").asBoolean(), check.toString());
    boolean found4101 = false;
    for (JsonNode f : check.get("structured").get("findings")) {
      found4101 |= f.get("port").asInt() == 4101 && f.get("kind").asText().equals("owner-mismatch");
    }
    assertTrue(found4101, "the seed's owner-mismatch of 4101: " + check);

    Map<String, String> expected = Map.of(
        "badProject", "field 'project': invalid project name",
        "noImage", "field 'image': required",
        "noConfirm", "field 'confirm': must be true",
        "unknownField", "field 'bogus': unknown field",
        "badSlot", "field 'slot': must be one of blue, green",
        "wrongType", "field 'containerPort': must be a whole number from 1 to 65535",
        "doctorNoConfirm", "field 'confirm': must be true with fix");
    expected.forEach((label, text) -> {
      JsonNode c = report.get("calls").get(label);
      assertTrue(c.path("isError").asBoolean(), label + " is a tool error: " + c);
      assertTrue(c.get("text").asText().contains(text), label + ": " + c);
    });
    // The seed's own SSOT findings are drift; nothing else is configured, and says so.
    JsonNode doctor = report.get("calls").get("doctorReport");
    assertFalse(doctor.path("isError").asBoolean(), doctor.toString());
    assertFalse(doctor.get("structured").get("clean").asBoolean(), doctor.toString());
    assertFalse(doctor.get("structured").get("applied").asBoolean(), doctor.toString());
    assertTrue(doctor.get("structured").get("drifts").toString().contains("4101"),
        doctor.toString());
    assertTrue(doctor.get("structured").get("notes").toString().contains("containers not"
        + " compared"), doctor.toString());
    assertFalse(report.get("calls").get("afterBadCalls").path("isError").asBoolean(),
        "the server still answers after the bad calls");
    assertEquals(new String(before, StandardCharsets.UTF_8), Files.readString(ssot),
        "bad calls wrote nothing");
  }

  @Test
  void typeScriptClientDeploysWithProgressRollsBackAndNoSecretLeavesTheServer()
      throws Exception {
    NodeClients clients = NodeClients.require(dir);
    String fileSecret = "file-secret-" + UUID.randomUUID();
    String pairSecret = "pair-secret-" + UUID.randomUUID();
    String apiKey = "vultr-key-" + UUID.randomUUID();
    String envSecret = "env-set-secret-" + UUID.randomUUID();
    Path envFile = dir.resolve("app.env");
    Files.writeString(envFile, "DB_PASSWORD=" + fileSecret + "\n");
    Files.setPosixFilePermissions(envFile, PosixFilePermissions.fromString("rw-------"));
    // A Vultr API stand-in that echoes the key it was sent in its error answer.
    HttpServer vultr = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    vultr.createContext("/", exchange -> {
      byte[] body = ("{\"error\":\"invalid key " + exchange.getRequestHeaders()
          .getFirst("Authorization") + "\",\"status\":401}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(401, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    vultr.start();
    Path stdout = dir.resolve("server-stdout.log");
    Path stderr = dir.resolve("server-stderr.log");
    try (DeployFleet fleet = new DeployFleet(dir, 47100)) {
      // The config file's pre-deploy hook, as `we deploy` runs it: it prints an env value
      // (masked in everything returned) and fails when the release's FAIL_MIGRATION is yes.
      Path config = Files.writeString(dir.resolve("we.yaml"), "envDir: " + dir.resolve("env")
          + "\nprojects:\n  " + fleet.project + ":\n    environments:\n      "
          + DeployFleet.ENV + ":\n        hooks:\n          pre-deploy: 'echo \"migrating"
          + " with $API_TOKEN\"; test \"$FAIL_MIGRATION\" != yes || { echo migration broke;"
          + " exit 5; }'\n          timeout: 1m\n");
      Map<String, String> env = new HashMap<>(fleet.providerEnvironment());
      env.put("CODEB_FIREWALL", "vultr+http://127.0.0.1:" + vultr.getAddress().getPort());
      env.put("VULTR_API_KEY", apiKey);
      env.put("CODEB_CONFIG", config.toString());
      env.put("STDOUT_FILE", stdout.toString());
      env.put("STDERR_FILE", stderr.toString());
      Map<String, Object> deployV1 = new LinkedHashMap<>(Map.of("project", fleet.project,
          "environment", DeployFleet.ENV, "image", fleet.image("v1"),
          "hosts", List.of(fleet.host), "envFile", envFile.toString(),
          "env", List.of("API_TOKEN=" + pairSecret), "healthTimeoutSeconds", 30,
          "drainSeconds", 0, "keepImages", 10));
      Map<String, Object> deployV2 = new LinkedHashMap<>(deployV1);
      deployV2.put("image", fleet.image("v2"));
      Map<String, Object> failedMigration = new LinkedHashMap<>(deployV1);
      failedMigration.put("image", fleet.image("v3"));
      failedMigration.put("env", List.of("API_TOKEN=" + pairSecret, "FAIL_MIGRATION=yes"));
      Map<String, Object> progressCall = call("deployV1", "deploy", deployV1);
      progressCall.put("progress", true);
      Map<String, String> key = Map.of("project", fleet.project, "environment",
          DeployFleet.ENV);
      JsonNode report = clients.tsSession(dir, plan(
          McpServerProcess.recordedCommand(stdout, stderr), env, List.of(
              progressCall,
              call("envSet", "env_set", Map.of("project", fleet.project, "environment",
                  DeployFleet.ENV, "env", List.of("SESSION_SECRET=" + envSecret))),
              call("envKeys", "env_keys", key),
              call("deployV2", "deploy", deployV2),
              call("failedMigration", "deploy", failedMigration),
              call("slotsBefore", "slot_status", key),
              call("rollbackUnconfirmed", "rollback", key),
              call("rollback", "rollback", Map.of("project", fleet.project, "environment",
                  DeployFleet.ENV, "confirm", true)),
              call("slotsAfter", "slot_status", key),
              call("logs", "logs", Map.of("project", fleet.project, "environment",
                  DeployFleet.ENV, "tail", 3, "since", "10m")),
              call("logsFollow", "logs", Map.of("project", fleet.project, "environment",
                  DeployFleet.ENV, "follow", true)),
              call("logsTooMany", "logs", Map.of("project", fleet.project, "environment",
                  DeployFleet.ENV, "tail", 5000)),
              call("logsBadSince", "logs", Map.of("project", fleet.project, "environment",
                  DeployFleet.ENV, "since", "yesterday")),
              call("firewall", "firewall_list", Map.of("group", "web")))));
      JsonNode calls = report.get("calls");

      JsonNode v1 = calls.get("deployV1");
      assertTrue(v1.get("structured").get("succeeded").asBoolean(), v1.toString());
      assertTrue(v1.get("progress").size() >= 2, "progress notifications: " + v1);
      assertTrue(v1.get("progress").toString().contains("health attempt"), v1.toString());
      JsonNode envSet = calls.get("envSet").get("structured");
      assertTrue(envSet.get("changed").asBoolean(), calls.get("envSet").toString());
      assertEquals("[\"SESSION_SECRET\"]", envSet.get("added").toString());
      assertEquals("[\"SESSION_SECRET\"]", calls.get("envKeys").get("structured").get("keys")
          .toString());
      assertTrue(Files.readString(dir.resolve("env").resolve(fleet.project + "-"
          + DeployFleet.ENV + ".env")).contains(envSecret), "env_set wrote the value");
      JsonNode v2 = calls.get("deployV2").get("structured");
      assertTrue(v2.get("succeeded").asBoolean(), calls.get("deployV2").toString());
      String v2Slot = v2.get("slot").asText();
      assertTrue(v1.get("progress").toString().contains("pre-deploy: migrating with [redacted]"),
          v1.toString());
      JsonNode failed = calls.get("failedMigration").get("structured");
      assertFalse(failed.get("succeeded").asBoolean(), calls.get("failedMigration").toString());
      assertEquals("failed", failed.get("outcome").asText(), failed.toString());
      assertTrue(failed.get("reason").asText().contains("pre-deploy hook exited with 5"),
          failed.toString());
      assertTrue(failed.get("logTail").asText().contains("migration broke"), failed.toString());
      assertTrue(failed.get("logTail").asText().contains("migrating with [redacted]"),
          failed.toString());
      assertEquals(v2Slot, failed.get("live").asText(), "traffic stayed on v2: " + failed);
      assertEquals(v2Slot, calls.get("slotsBefore").get("structured").get("live").asText());
      assertTrue(calls.get("rollbackUnconfirmed").get("isError").asBoolean());
      JsonNode rolled = calls.get("rollback").get("structured");
      assertTrue(rolled.get("changed").asBoolean(), calls.get("rollback").toString());
      String live = calls.get("slotsAfter").get("structured").get("live").asText();
      assertNotEquals(v2Slot, live, "traffic went back to v1's slot");
      assertEquals(v1.get("structured").get("slot").asText(), live);
      JsonNode logs = calls.get("logs").get("structured");
      assertEquals(live, logs.get("slot").asText(), calls.get("logs").toString());
      assertTrue(logs.get("lines").size() >= 1 && logs.get("lines").size() <= 3,
          calls.get("logs").toString());
      assertTrue(Set.of("stdout", "stderr").contains(logs.get("lines").get(0).get("stream")
          .asText()), logs.toString());
      assertFalse(logs.get("truncated").asBoolean());
      for (String bad : List.of("logsFollow", "logsTooMany", "logsBadSince")) {
        assertTrue(calls.get(bad).get("isError").asBoolean(), calls.get(bad).toString());
      }
      assertTrue(calls.get("logsFollow").get("text").asText().contains("follow"),
          calls.get("logsFollow").toString());
      assertTrue(calls.get("logsBadSince").get("text").asText().contains("since"),
          calls.get("logsBadSince").toString());
      JsonNode firewall = calls.get("firewall");
      assertTrue(firewall.get("isError").asBoolean(), firewall.toString());
      // The stand-in echoed the key in its answer, and the adapter quotes the answer: the
      // server's last guard masked it.
      assertTrue(firewall.get("text").asText().contains("invalid key Bearer [redacted]"),
          firewall.toString());

      String out = Files.readString(stdout);
      String err = Files.readString(stderr);
      assertTrue(out.contains("\"deployed\""), "the recording has the session");
      for (String line : out.split("\n")) {
        assertEquals("2.0", NodeClients.JSON.readTree(line).get("jsonrpc").asText(),
            "stdout carries protocol messages only: " + line);
      }
      for (String secret : List.of(fileSecret, pairSecret, apiKey, envSecret)) {
        assertFalse(out.contains(secret), "a secret on stdout");
        assertFalse(err.contains(secret), "a secret on stderr");
        assertFalse(report.toString().contains(secret), "a secret in what the client got");
      }
    } finally {
      vultr.stop(0);
    }
  }

  @Test
  void aCancelledDeployLeavesTrafficOnTheLiveSlotAndReleasesTheLock() throws Exception {
    NodeClients clients = NodeClients.require(dir);
    try (DeployFleet fleet = new DeployFleet(dir, 47500)) {
      Map<String, Object> v1 = new LinkedHashMap<>(Map.of("project", fleet.project,
          "environment", DeployFleet.ENV, "image", fleet.image("v1"), "hosts",
          List.of(fleet.host), "healthTimeoutSeconds", 30, "drainSeconds", 0, "keepImages", 10));
      Map<String, Object> broken = new LinkedHashMap<>(v1);
      broken.put("image", fleet.image("broken")); // never answers /health
      broken.put("healthTimeoutSeconds", 120);
      Map<String, Object> cancelled = call("broken", "deploy", broken);
      cancelled.put("cancelOn", "health attempt 3");
      Map<String, Object> slots = call("slots", "slot_status", Map.of("project", fleet.project,
          "environment", DeployFleet.ENV));
      slots.put("sleepMs", 3000); // the server stops the deploy at its next health probe
      Map<String, Object> v2 = new LinkedHashMap<>(v1);
      v2.put("image", fleet.image("v2"));
      JsonNode report = clients.tsSession(dir, plan(McpServerProcess.command(),
          fleet.providerEnvironment(), List.of(
              call("v1", "deploy", v1),
              cancelled,
              slots,
              call("lock", "lock_show", Map.of("project", fleet.project, "environment",
                  DeployFleet.ENV)),
              call("v2", "deploy", v2))));
      JsonNode calls = report.get("calls");
      String v1Slot = calls.get("v1").get("structured").get("slot").asText();
      JsonNode broke = calls.get("broken");
      assertTrue(broke.has("thrown"), "the client gave up the call: " + broke);
      assertTrue(broke.get("progress").toString().contains("health attempt 3"), broke.toString());
      JsonNode status = calls.get("slots").get("structured");
      assertEquals(v1Slot, status.get("live").asText(), "traffic stayed on v1: " + status);
      for (JsonNode slot : status.get("slots")) {
        if (!slot.get("live").asBoolean() && !slot.get("container").isNull()) {
          assertNotEquals("running", slot.get("container").get("state").asText(),
              "the cancelled release's container was stopped: " + status);
        }
      }
      for (JsonNode record : status.get("history")) {
        assertFalse(record.get("image").asText().endsWith(":broken"),
            "a cancelled deploy records no release: " + status);
      }
      assertTrue(calls.get("lock").get("structured").get("lock").isNull(),
          "the lock was released: " + calls.get("lock"));
      JsonNode next = calls.get("v2").get("structured");
      assertTrue(next.get("succeeded").asBoolean(), "the next deploy runs: " + calls.get("v2"));
      assertNotEquals(v1Slot, next.get("slot").asText());
    }
  }
}
