package kr.codeb.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kr.codeb.testkit.SeedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code init_plan} and {@code init_apply} over stdio, on the {@code mem:} proxy and DNS of the
 * server process: a plan, an apply refused without {@code confirm}, an apply, and a plan that
 * then has nothing to do.
 */
class InitToolsTest {
  @TempDir Path dir;

  @Test
  void planApplyAndNothingToDo() throws Exception {
    Path ssot = dir.resolve("ssot.json");
    Files.write(ssot, SeedData.ssotBytes());
    Path config = dir.resolve("fleet.yaml");
    Files.writeString(config, "envDir: " + dir.resolve("env") + "\n");
    ProcessBuilder pb = new ProcessBuilder(McpServerProcess.command());
    pb.environment().clear();
    pb.environment().putAll(McpServerProcess.environment(Map.of("CODEB_SSOT", ssot.toString(),
        "CODEB_CONFIG", config.toString(), "CODEB_PROXY", "mem:mcp-init",
        "CODEB_DNS", "mem:mcp-init")));
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    String args = "\"project\":\"acme\",\"environment\":\"production\",\"domain\":"
        + "\"acme.example\",\"ips\":[\"203.0.113.30\"]";
    Map<Integer, JsonNode> answers = new HashMap<>();
    try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8)); var out = p.getOutputStream()) {
      send(out, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
          + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":"
          + "\"pipe\",\"version\":\"1\"}}}");
      in.readLine();
      send(out, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
      // One call at a time, each after the answer to the one before, as a careful client does.
      String[][] calls = {{"init_plan", args}, {"init_apply", args},
          {"init_apply", args + ",\"confirm\":true"}, {"init_plan", args}};
      for (int i = 0; i < calls.length; i++) {
        send(out, call(i + 2, calls[i][0], calls[i][1]));
        JsonNode m = NodeClients.JSON.readTree(in.readLine());
        answers.put(m.get("id").asInt(), m.get("result"));
      }
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    JsonNode plan = answers.get(2).get("structuredContent");
    assertEquals(3, plan.get("changes").asInt(), plan.toString());
    assertEquals("create", plan.get("steps").get(0).get("action").asText());
    JsonNode refused = answers.get(3);
    assertTrue(refused.get("isError").asBoolean(), refused.toString());
    assertTrue(refused.toString().contains("confirm"), refused.toString());
    JsonNode applied = answers.get(4).get("structuredContent");
    assertTrue(applied.get("changed").asBoolean(), answers.get(4).toString());
    assertTrue(Files.exists(dir.resolve("init/acme-production.json")));
    assertEquals(0, answers.get(5).get("structuredContent").get("changes").asInt(),
        answers.get(5).toString());
  }

  private static void send(java.io.OutputStream out, String line) throws java.io.IOException {
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static String call(int id, String tool, String arguments) {
    return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{"
        + "\"name\":\"" + tool + "\",\"arguments\":{" + arguments + "}}}";
  }
}
