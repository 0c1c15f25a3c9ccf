package kr.codeb.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kr.codeb.testkit.SeedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that sends its calls and closes its end at once (a pipe) still gets every answer:
 * the server stops only when the calls it was sent have ended. Its stdout is protocol only.
 */
class StdioEndOfInputTest {
  @TempDir Path dir;

  @Test
  void callsSentBeforeTheEndOfInputAreAnsweredThenTheServerStops() throws Exception {
    Path ssot = dir.resolve("ssot.json");
    Files.write(ssot, SeedData.ssotBytes());
    ProcessBuilder pb = new ProcessBuilder(McpServerProcess.command());
    pb.environment().clear();
    pb.environment().putAll(McpServerProcess.environment(java.util.Map.of(
        "CODEB_SSOT", ssot.toString())));
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    String input = String.join("\n",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
            + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"pipe\","
            + "\"version\":\"1\"}}}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
            + "\"ssot_check\",\"arguments\":{}}}",
        "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":"
            + "\"ssot_show\",\"arguments\":{}}}") + "\n";
    p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server stopped at the end of input");
    assertEquals(0, p.exitValue());
    List<Integer> ids = new ArrayList<>();
    for (String line : out.split("\n")) {
      JsonNode m = NodeClients.JSON.readTree(line);
      assertEquals("2.0", m.get("jsonrpc").asText(), "protocol only on stdout: " + line);
      ids.add(m.get("id").asInt());
      if (m.get("id").asInt() == 2) {
        assertTrue(m.get("result").get("structuredContent").toString().contains("4101"), line);
      }
    }
    assertEquals(List.of(1, 2, 3), ids.stream().sorted().toList(), out);
  }
}
