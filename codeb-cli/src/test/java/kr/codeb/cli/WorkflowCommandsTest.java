package kr.codeb.cli;

import static kr.codeb.cli.WeRunner.run;
import static kr.codeb.cli.WeRunner.seedCopy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.workflow.WorkflowSpec;
import kr.codeb.workflow.Workflows;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code we workflow generate|check|secrets|summary} on the seed's SSOT, in-process. */
class WorkflowCommandsTest {
  @TempDir Path dir;
  Path ssot;
  Path out;

  @BeforeEach
  void seed() {
    ssot = seedCopy(dir, "ssot.json");
    out = dir.resolve("repo/.github/workflows/acme-production.yml");
  }

  private WeRunner.Result we(String... args) {
    List<String> all = new ArrayList<>(List.of("--ssot", ssot.toString()));
    all.addAll(List.of(args));
    return run(all.toArray(String[]::new));
  }

  private static WorkflowSpec acme(List<String> labels) {
    return WorkflowSpec.of(ProjectName.of("acme"), Environment.of("production"), labels);
  }

  @Test
  void generateWritesTheGeneratorsBytesAndSaysWhichSecretsToSet() throws IOException {
    WeRunner.Result r = we("workflow", "generate", "acme", "--env", "production",
        "--runner-label", "app1", "--out", out.toString()).expect(0);
    assertEquals(Workflows.generate(acme(List.of("app1"))), Files.readString(out));
    assertTrue(r.out().contains("wrote " + out), r.out());
    assertTrue(r.out().contains("secrets to set: none (GITHUB_TOKEN is provided by GitHub)"));
    assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(out)));
    // Again: the same bytes, nothing rewritten.
    WeRunner.Result again = we("workflow", "generate", "acme", "--env", "production",
        "--runner-label", "app1", "--out", out.toString(), "--json").expect(0);
    assertFalse(again.json().get("changed").asBoolean());
    assertEquals(List.of("acme-production.yml"), listing(out.getParent()));
  }

  @Test
  void theRunnerLabelIsTheConfigsAppServer() throws IOException {
    Path config = WeRunner.write(dir.resolve("we.yaml"), ("servers:\n"
        + "  - {name: app7, roles: [app], public: 203.0.113.10, private: 10.0.0.10}\n"
        + "  - {name: edge, roles: [edge], public: 203.0.113.20, private: 10.0.0.20}\n")
        .getBytes(StandardCharsets.UTF_8));
    we("--config", config.toString(), "workflow", "generate", "acme", "--env", "production",
        "--out", out.toString()).expect(0);
    assertEquals(Workflows.generate(acme(List.of("app7"))), Files.readString(out));
    WeRunner.Result edge = we("--config", config.toString(), "workflow", "generate", "acme",
        "--env", "production", "--server", "edge", "--out", out.toString()).expect(2);
    assertTrue(edge.err().contains("--server edge has no app role"), edge.err());
  }

  @Test
  void secretsListsTheNamedSecretOnly() {
    WeRunner.Result r = we("workflow", "secrets", "acme", "--env", "production",
        "--runner-label", "app1", "--registry", "registry.example.com/team",
        "--registry-user", "deployer", "--registry-secret", "REGISTRY_PASSWORD", "--json")
        .expect(0);
    JsonNode secrets = r.json().get("secrets");
    assertEquals(1, secrets.size(), r.out());
    assertEquals("REGISTRY_PASSWORD", secrets.get(0).get("name").asText());
    assertFalse(secrets.get(0).get("providedByGitHub").asBoolean());
    WeRunner.Result human = we("workflow", "secrets", "acme", "--env", "production",
        "--runner-label", "app1", "--registry-secret", "GHCR_PAT").expect(0);
    assertTrue(human.out().contains("  GHCR_PAT"), human.out());
  }

  @Test
  void checkFindsNoDriftInAGeneratedFileAndEveryEditedLineInAnother() throws IOException {
    we("workflow", "generate", "acme", "--env", "production", "--runner-label", "app1",
        "--out", out.toString()).expect(0);
    WeRunner.Result clean = we("workflow", "check", out.toString()).expect(0);
    assertTrue(clean.out().startsWith("no drift"), clean.out());
    Files.writeString(out, Files.readString(out).replace("HEALTH_PATH: /health",
        "HEALTH_PATH: /health\n      GREEN_PORT: 4105"));
    WeRunner.Result drift = we("workflow", "check", out.toString()).expect(1);
    assertTrue(drift.out().contains("\n-      GREEN_PORT: 4105\n"), drift.out());
    JsonNode json = we("workflow", "check", out.toString(), "--json").expect(1).json();
    assertTrue(json.get("drift").asBoolean());
    assertEquals("acme", json.get("project").asText());
  }

  @Test
  void aHandWrittenWorkflowNeedsTheOptionsItShouldMatch() throws IOException {
    Path old = WeRunner.write(dir.resolve("deploy.yml"), ("on: push\njobs:\n  deploy:\n"
        + "    runs-on: self-hosted\n    env: {BLUE_PORT: 4100, GREEN_PORT: 4101}\n")
        .getBytes(StandardCharsets.UTF_8));
    WeRunner.Result refused = we("workflow", "check", old.toString()).expect(2);
    assertTrue(refused.err().contains("has no '# codeb-workflow:' header line"), refused.err());
    WeRunner.Result drift = we("workflow", "check", old.toString(), "--project", "acme", "--env",
        "production", "--runner-label", "app1").expect(1);
    assertTrue(drift.out().contains("-    env: {BLUE_PORT: 4100, GREEN_PORT: 4101}"), drift.out());
    assertTrue(drift.out().contains("+      - app1"), drift.out());
  }

  @Test
  void badInputIsExitTwoAndWritesNothing() throws IOException {
    Path aFile = WeRunner.write(dir.resolve("plain-file"), new byte[] {1});
    Path folder = Files.createDirectories(dir.resolve("a-folder"));
    List<String[]> lines = List.of(
        new String[] {"Acme", "--env", "production", "--runner-label", "app1"},
        new String[] {"acme", "--env", "nosuch", "--runner-label", "app1"},
        new String[] {"acme", "--env", "system", "--runner-label", "app1"},
        new String[] {"acme", "--runner-label", "app1"},
        new String[] {"acme", "--env", "production"},
        new String[] {"acme", "--env", "production", "--runner-label", "app1",
            "--registry", "docker.io/acme"},
        new String[] {"acme", "--env", "production", "--runner-label", "app 1"},
        new String[] {"acme", "--env", "production", "--runner-label", "app1",
            "--dockerfile", "../Dockerfile"},
        new String[] {"acme", "--env", "production", "--runner-label", "app1",
            "--out", folder.toString()},
        new String[] {"acme", "--env", "production", "--runner-label", "app1",
            "--out", aFile.resolve("x/acme.yml").toString()});
    List<String> expected = List.of("invalid project name 'Acme'",
        "environment 'nosuch' is not defined in the SSOT's portRanges; defined: production,"
            + " staging, preview",
        "environment 'system' is reserved", "--env ENV is required", "no runner labels",
        "GITHUB_TOKEN logs in to ghcr.io only", "invalid runner label 'app 1'",
        "it must stay inside the repository", "is a folder", "is not a folder");
    byte[] ssotBefore = WeRunner.bytes(ssot);
    for (int i = 0; i < lines.size(); i++) {
      List<String> args = new ArrayList<>(List.of("workflow", "generate"));
      args.addAll(List.of(lines.get(i)));
      if (!args.contains("--out")) {
        args.addAll(List.of("--out", out.toString()));
      }
      WeRunner.Result r = we(args.toArray(String[]::new)).expect(2);
      assertTrue(r.err().startsWith("we: error: ") && r.err().contains(expected.get(i)),
          i + ": " + r.err());
      assertEquals("", r.out());
    }
    assertFalse(Files.exists(dir.resolve("repo")), "nothing written");
    assertEquals(List.of("a-folder", "plain-file", "ssot.json"), listing(dir));
    assertEquals(List.of(), listing(folder));
    assertTrue(java.util.Arrays.equals(ssotBefore, WeRunner.bytes(ssot)));
  }

  @Test
  void theSummaryNamesOutcomeReleaseSlotAndSaysWhatItCouldNotRead() throws IOException {
    Path result = WeRunner.write(dir.resolve("deploy.json"), ("{\"project\":\"acme\","
        + "\"environment\":\"production\",\"outcome\":\"failed\",\"release\":\"20250101T1200Z-3f2a\","
        + "\"image\":\"ghcr.io/acme/acme@sha256:ab\",\"slot\":\"green\",\"port\":4105,"
        + "\"live\":\"blue\",\"reason\":\"health gate: never healthy | timed out\"}")
        .getBytes(StandardCharsets.UTF_8));
    WeRunner.Result r = we("--proxy", "mem:wf-summary", "workflow", "summary", "acme", "--env",
        "production", "--result", result.toString()).expect(0);
    assertTrue(r.out().contains("| outcome | failed |"), r.out());
    assertTrue(r.out().contains("| release | 20250101T1200Z-3f2a |"), r.out());
    assertTrue(r.out().contains("| slot | green |"), r.out());
    assertTrue(r.out().contains("| URL | none yet"), r.out());
    assertTrue(r.out().contains("never healthy \\| timed out"), r.out());
    WeRunner.Result none = we("workflow", "summary", "acme", "--env", "production", "--result",
        dir.resolve("missing.json").toString()).expect(0);
    assertTrue(none.out().contains("reported no result"), none.out());
  }

  @Test
  void generateToStdoutIsTheSameText() {
    WeRunner.Result r = we("workflow", "generate", "acme", "--env", "production",
        "--runner-label", "app1", "--registry", "ghcr.io/acme-corp", "--out", "-").expect(0);
    WorkflowSpec spec = new WorkflowSpec(ProjectName.of("acme"), Environment.of("production"),
        "main", Optional.of("ghcr.io/acme-corp"), Optional.empty(), "GITHUB_TOKEN", "Dockerfile",
        ".", "/health", List.of("app1"));
    assertEquals(Workflows.generate(spec), r.out());
  }

  private static List<String> listing(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
