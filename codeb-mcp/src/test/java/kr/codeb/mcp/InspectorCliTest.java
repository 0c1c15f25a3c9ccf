package kr.codeb.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import kr.codeb.testkit.SeedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code we mcp} driven by the MCP inspector's CLI ({@code @modelcontextprotocol/inspector
 * --cli}, from npm), one server process per call as the inspector runs it: the tool list (with
 * the inspector's own portability check, {@code --strict}) and every schema compiled by ajv, the
 * seed's 4101 finding, bad arguments, and a real deploy, slot status and rollback on Docker and
 * Caddy. Real engines: run under {@code flock /tmp/work/engines.lock}.
 */
class InspectorCliTest {
  @TempDir Path dir;

  private static List<String> callArgs(String tool, String... args) {
    List<String> all = new ArrayList<>(List.of("--method", "tools/call", "--tool-name", tool));
    if (args.length > 0) {
      all.add("--tool-arg");
      all.addAll(List.of(args));
    }
    return all;
  }

  @Test
  void listsValidSchemasFindsTheSeeds4101AndRefusesBadArguments() throws Exception {
    NodeClients clients = NodeClients.require(dir);
    Path ssot = dir.resolve("seed-ssot.json");
    Files.write(ssot, SeedData.ssotBytes());
    Map<String, String> env = Map.of("CODEB_SSOT", ssot.toString(), "CODEB_DAEMON", "off");

    NodeClients.Result list = clients.inspector(env, List.of("--method", "tools/list",
        "--strict"));
    assertEquals(0, list.exit(), "the inspector's portability check passes:\n" + list.err());
    assertFalse(list.err().contains("warning"), list.err());
    JsonNode schemas = clients.validateSchemas(list.out());
    Set<String> names = new TreeSet<>();
    for (JsonNode tool : schemas) {
      names.add(tool.get("name").asText());
      assertEquals("valid", tool.get("inputSchema").asText(), tool.toString());
      assertEquals("valid", tool.get("outputSchema").asText(), tool.toString());
    }
    assertEquals(new TreeSet<>(McpClientsTest.TOOLS), names);

    JsonNode check = clients.inspector(env, callArgs("ssot_check")).json();
    assertFalse(check.path("isError").asBoolean(), check.toString());
    assertTrue(check.get("structuredContent").get("findings").toString()
        .contains("\"port\":4101"), check.toString());

    NodeClients.Result bad = clients.inspector(env, callArgs("ssot_allocate",
        "project=Bad Name!", "environment=production"));
    assertNotEquals(0, bad.exit());
    JsonNode badJson = bad.json();
    assertTrue(badJson.get("isError").asBoolean(), bad.out());
    assertTrue(badJson.toString().contains("field 'project'"), bad.out());

    NodeClients.Result unconfirmed = clients.inspector(env, callArgs("ssot_release",
        "project=vsvs-kr", "environment=production"));
    assertTrue(unconfirmed.json().get("isError").asBoolean(), unconfirmed.out());
    assertTrue(unconfirmed.out().contains("field 'confirm'"), unconfirmed.out());
    assertEquals(new String(SeedData.ssotBytes(), java.nio.charset.StandardCharsets.UTF_8),
        Files.readString(ssot), "no bad call wrote the SSOT");
  }

  @Test
  void deploysShowsTheSlotsAndRollsBack() throws Exception {
    NodeClients clients = NodeClients.require(dir);
    try (DeployFleet fleet = new DeployFleet(dir, 47300)) {
      Map<String, String> env = fleet.providerEnvironment();
      String[] key = {"project=" + fleet.project, "environment=" + DeployFleet.ENV};
      JsonNode v1 = clients.inspector(env, callArgs("deploy", key[0], key[1],
          "image=" + fleet.image("v1"), "healthTimeoutSeconds=30", "drainSeconds=0",
          "keepImages=10")).json();
      assertTrue(v1.get("structuredContent").get("succeeded").asBoolean(), v1.toString());
      JsonNode v2 = clients.inspector(env, callArgs("deploy", key[0], key[1],
          "image=" + fleet.image("v2"), "healthTimeoutSeconds=30", "drainSeconds=0",
          "keepImages=10")).json();
      assertTrue(v2.get("structuredContent").get("succeeded").asBoolean(), v2.toString());
      JsonNode slotCall = clients.inspector(env, callArgs("slot_status", key)).json();
      assertFalse(slotCall.path("isError").asBoolean(), slotCall.toString());
      JsonNode slots = slotCall.get("structuredContent");
      String v2Slot = v2.get("structuredContent").get("slot").asText();
      assertEquals(v2Slot, slots.get("live").asText(), slots.toString());
      JsonNode rolled = clients.inspector(env, callArgs("rollback", key[0], key[1],
          "confirm=true")).json();
      assertFalse(rolled.path("isError").asBoolean(), rolled.toString());
      assertEquals(v2Slot, rolled.get("structuredContent").get("from").asText());
      JsonNode after = clients.inspector(env, callArgs("slot_status", key)).json()
          .get("structuredContent");
      assertEquals(v1.get("structuredContent").get("slot").asText(), after.get("live").asText());
    }
  }
}
