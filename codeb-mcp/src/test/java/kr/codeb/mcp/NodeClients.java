package kr.codeb.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The MCP clients from npm ({@code scripts/test-env.sh up} installs them and writes
 * {@code CODEB_TEST_MCP_CLIENTS}, their node_modules): the TypeScript SDK's client driven by
 * {@code ts-client-session.mjs}, the inspector's CLI, and ajv. Missing node or packages fail the
 * test under {@code CI=true} and skip it elsewhere.
 */
final class NodeClients {
  static final ObjectMapper JSON = new ObjectMapper();
  private final Path modules;
  private final Path scripts;

  private NodeClients(Path modules, Path scripts) {
    this.modules = modules;
    this.scripts = scripts;
  }

  static NodeClients require(Path workDir) {
    Path modules = Path.of(TestEngines.require("CODEB_TEST_MCP_CLIENTS"));
    for (String pkg : List.of("@modelcontextprotocol/sdk", "@modelcontextprotocol/inspector",
        "ajv")) {
      if (!Files.isDirectory(modules.resolve(pkg))) {
        missing("the npm package " + pkg + " is not in " + modules);
      }
    }
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (p.waitFor() != 0) {
        missing("node does not run");
      }
    } catch (IOException | InterruptedException e) {
      missing("node is not on the PATH (" + e.getMessage() + ")");
    }
    try {
      Path scripts = Files.createDirectories(workDir.resolve("node-scripts"));
      for (String s : List.of("ts-client-session.mjs", "validate-schemas.mjs")) {
        try (InputStream in = NodeClients.class.getResourceAsStream(s)) {
          Files.write(scripts.resolve(s), in.readAllBytes());
        }
      }
      return new NodeClients(modules, scripts);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void missing(String what) {
    String message = what + ": run `scripts/test-env.sh up` (it installs the MCP clients)";
    if (TestEngines.isCi()) {
      Assertions.fail(message + " (CI=true: this fails the build)");
    }
    Assumptions.abort(message + " (skipped; with CI=true this fails)");
  }

  /** One TypeScript SDK client session following {@code plan}; its JSON report. */
  JsonNode tsSession(Path workDir, Map<String, Object> plan) throws Exception {
    Path planFile = workDir.resolve("plan-" + System.nanoTime() + ".json");
    Files.writeString(planFile, JSON.writeValueAsString(plan));
    Result r = node(List.of(scripts.resolve("ts-client-session.mjs").toString(),
        planFile.toString()), null, Map.of());
    assertEquals(0, r.exit, "the TypeScript client session failed:\n" + r.err);
    return JSON.readTree(r.out);
  }

  /** The inspector's CLI ({@code --cli}) against the server; its stdout as JSON. */
  Result inspector(Map<String, String> serverEnv, List<String> inspectorArgs) throws Exception {
    List<String> args = new ArrayList<>(List.of(modules.resolve(
        "@modelcontextprotocol/inspector/clients/launcher/build/index.js").toString(), "--cli"));
    serverEnv.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
    args.addAll(McpServerProcess.command());
    args.addAll(inspectorArgs);
    return node(args, null, McpServerProcess.environment(Map.of()));
  }

  /** {@code validate-schemas.mjs} over a tools/list result. */
  JsonNode validateSchemas(String toolsList) throws Exception {
    Result r = node(List.of(scripts.resolve("validate-schemas.mjs").toString()), toolsList,
        Map.of());
    assertEquals(0, r.exit, r.err);
    return JSON.readTree(r.out);
  }

  record Result(int exit, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (IOException e) {
        throw new AssertionError("not JSON (exit " + exit + "): " + out + "\n" + err, e);
      }
    }
  }

  private Result node(List<String> args, String stdin, Map<String, String> env)
      throws Exception {
    List<String> command = new ArrayList<>(List.of("node"));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("NODE_PATH", modules.toString());
    pb.environment().putAll(env);
    Path err = Files.createTempFile("node-err", ".txt");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("node did not finish in 5 minutes: " + command.get(1));
    }
    String errText = Files.readString(err);
    Files.deleteIfExists(err);
    return new Result(p.exitValue(), out, errText);
  }
}
