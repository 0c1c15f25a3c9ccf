package kr.codeb.ssot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.ProjectPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unknown fields at every level, and the key order, survive CodeB's read-change-write. */
class PreservationTest {
  private static final String DOC = """
      {
        "x-top-first": {"nested": [1, 2.50, {"deep": null}]},
        "version": "7.0.0",
        "portRanges": {
          "system": { "start": 3000, "end": 3099, "note": "infra" },
          "production": { "comment": "since 2025", "start": 4100, "end": 4499 },
          "staging": { "start": 4500, "end": 4999 }
        },
        "updatedAt": "2026-01-13T10:00:00Z",
        "projects": {
          "worb": {
            "owner": "team-a",
            "ports": { "production": { "blue": 4100, "green": 4101, "pinned": true } },
            "domains": ["worb.kr"]
          },
          "vsvs-kr": { "ports": { "production": { "blue": 4102, "green": 4103 } } }
        },
        "ports": {
          "lastAllocated": 4103,
          "allocated": {
            "4100": { "project": "worb", "slot": "blue", "since": 1700000000000 },
            "4101": { "note": "legacy", "project": "w-homepage-react", "slot": "blue" },
            "4102": { "project": "vsvs-kr", "slot": "blue" },
            "4103": { "project": "vsvs-kr", "slot": "green" }
          },
          "reserved": [22, 80, 443]
        },
        "x-top-last": 1e3
      }
      """;

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void unknownFieldsAndOrderSurviveAnAllocation(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("ssot.json");
    Files.writeString(file, DOC);
    JsonNode before = json.readTree(DOC);

    ProjectPorts got;
    try (FileSsotStore store = FileSsotStore.open(file)) {
      got = new PortOperations(store).allocate(ProjectName.of("new-app"), Environment.of("production"));
    }
    assertEquals(4104, got.ports().blue());

    JsonNode after = json.readTree(Files.readAllBytes(file));
    // The whole document is the old one plus exactly the new project and its two records.
    ObjectNode expected = before.deepCopy();
    ((ObjectNode) expected.get("projects")).set("new-app", json.readTree(
        "{\"ports\": {\"production\": {\"blue\": 4104, \"green\": 4105}}}"));
    ObjectNode allocated = (ObjectNode) expected.at("/ports/allocated");
    allocated.set("4104", json.readTree(
        "{\"project\": \"new-app\", \"slot\": \"blue\", \"environment\": \"production\"}"));
    allocated.set("4105", json.readTree(
        "{\"project\": \"new-app\", \"slot\": \"green\", \"environment\": \"production\"}"));
    assertEquals(expected, after);

    // JsonNode.equals ignores key order: compare the order at every level explicitly.
    assertOrder(expected, after, "$");
    assertEquals(List.of("x-top-first", "version", "portRanges", "updatedAt", "projects", "ports",
        "x-top-last"), SsotCodecTest.keys(after));
    assertEquals(List.of("comment", "start", "end"), SsotCodecTest.keys(after.at("/portRanges/production")));
    assertEquals(List.of("owner", "ports", "domains"), SsotCodecTest.keys(after.at("/projects/worb")));
    assertEquals(List.of("blue", "green", "pinned"),
        SsotCodecTest.keys(after.at("/projects/worb/ports/production")));
    assertEquals(List.of("lastAllocated", "allocated", "reserved"), SsotCodecTest.keys(after.get("ports")));
    assertEquals(List.of("note", "project", "slot"), SsotCodecTest.keys(after.at("/ports/allocated/4101")));
    // Numbers keep their written form (2.50 is not turned into 2.5).
    assertTrue(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).contains("2.50"));
  }

  private static void assertOrder(JsonNode expected, JsonNode actual, String path) {
    if (expected.isObject()) {
      assertEquals(SsotCodecTest.keys(expected), SsotCodecTest.keys(actual), path);
      expected.properties().forEach(e -> assertOrder(e.getValue(), actual.get(e.getKey()),
          path + "." + e.getKey()));
    } else if (expected.isArray()) {
      for (int i = 0; i < expected.size(); i++) {
        assertOrder(expected.get(i), actual.get(i), path + "[" + i + "]");
      }
    }
  }
}
