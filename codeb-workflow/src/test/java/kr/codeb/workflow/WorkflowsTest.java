package kr.codeb.workflow;

import static kr.codeb.workflow.WorkflowVariants.ACME;
import static kr.codeb.workflow.WorkflowVariants.PRODUCTION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import kr.codeb.InvalidRequestException;
import org.junit.jupiter.api.Test;

class WorkflowsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static JsonNode tree(WorkflowSpec spec) throws Exception {
    return YAML.readTree(Workflows.generate(spec));
  }

  @Test
  void pushToTheBranchAndManualRunsTrigger() throws Exception {
    JsonNode on = tree(WorkflowVariants.all().get("ghcr-org")).get("on");
    assertEquals("develop", on.get("push").get("branches").get(0).asText());
    assertTrue(on.has("workflow_dispatch"));
    assertEquals(2, on.size());
  }

  @Test
  void permissionsAreLeastPrivilegeAndConcurrencyIsPerProjectAndEnvironment() throws Exception {
    JsonNode w = tree(WorkflowVariants.all().get("defaults"));
    assertEquals(0, w.get("permissions").size(), "nothing at the workflow level");
    assertEquals(YAML.readTree("{contents: read, packages: write}"),
        w.get("jobs").get("build").get("permissions"));
    assertEquals(YAML.readTree("{packages: read}"), w.get("jobs").get("deploy").get("permissions"));
    assertEquals("codeb-deploy-acme-production", w.get("concurrency").get("group").asText());
    assertFalse(w.get("concurrency").get("cancel-in-progress").asBoolean(),
        "a running deploy is never cancelled by the next push");
    JsonNode staging = tree(WorkflowVariants.all().get("ghcr-org"));
    assertEquals("codeb-deploy-acme-staging", staging.get("concurrency").get("group").asText());
  }

  @Test
  void theDeployJobRunsOnTheAppServersRunnerWithTheDigestAndNoPort() throws Exception {
    WorkflowSpec spec = WorkflowVariants.all().get("other-registry-named-secret");
    String text = Workflows.generate(spec);
    JsonNode deploy = YAML.readTree(text).get("jobs").get("deploy");
    assertEquals(YAML.readTree("[self-hosted, app-2, codeb]"), deploy.get("runs-on"));
    assertEquals("build", deploy.get("needs").asText());
    assertEquals("${{ needs.build.outputs.image }}", deploy.get("env").get("IMAGE").asText());
    String deployRun = deploy.get("steps").get(1).get("run").asText();
    assertTrue(deployRun.contains("we deploy \"$PROJECT\" --env \"$ENVIRONMENT\" --image"
        + " \"$IMAGE\" --health-path \"$HEALTH_PATH\""), deployRun);
    assertTrue(deployRun.contains("exit \"$status\""), "the deploy's exit code decides");
    assertEquals("/api/health?deep=1", deploy.get("env").get("HEALTH_PATH").asText());
    // The build job pushes and hands over image@sha256:..., never a tag.
    JsonNode build = YAML.readTree(text).get("jobs").get("build");
    assertEquals("registry.example.com:5000/team/w-homepage-react",
        build.get("env").get("IMAGE").asText());
    String push = build.get("steps").get(3).get("run").asText();
    assertTrue(push.contains("grep -m 1 -F \"$IMAGE@sha256:\""), push);
    assertTrue(push.contains("echo \"image=$digest\" >> \"$GITHUB_OUTPUT\""), push);
    assertTrue(build.get("steps").get(2).get("run").asText()
        .contains("--tag \"$IMAGE:$GITHUB_SHA\""));
    String body = text.lines().filter(l -> !l.startsWith("#"))
        .collect(java.util.stream.Collectors.joining("\n"));
    assertFalse(Pattern.compile("(?i)\\bport|_PORT|\\b[0-9]{4,5}\\b").matcher(
        body.replace("registry.example.com:5000", "")).find(), "no port: " + body);
  }

  @Test
  void theOnlySecretsAreReferencesByName() throws Exception {
    WorkflowSpec named = WorkflowVariants.all().get("other-registry-named-secret");
    assertEquals(List.of("REGISTRY_PASSWORD"), Workflows.secrets(named));
    assertEquals(List.of("GITHUB_TOKEN"), Workflows.secrets(WorkflowVariants.all().get("defaults")));
    String text = Workflows.generate(named);
    // Every mention of a secret is inside ${{ secrets.NAME }}.
    assertEquals(2, text.split(Pattern.quote("${{ secrets.REGISTRY_PASSWORD }}"), -1).length - 1);
    assertFalse(text.replace("${{ secrets.REGISTRY_PASSWORD }}", "").contains("secrets."));
    // Scripts read values from the environment only: no ${{ }} inside a run: script.
    JsonNode jobs = YAML.readTree(text).get("jobs");
    for (JsonNode job : jobs) {
      for (JsonNode step : job.get("steps")) {
        if (step.has("run")) {
          assertFalse(step.get("run").asText().contains("${{"), step.toString());
        }
      }
    }
  }

  @Test
  void theSameSpecIsTheSameBytesAndTheHeaderRecordsIt() {
    for (WorkflowSpec spec : WorkflowVariants.all().values()) {
      String text = Workflows.generate(spec);
      assertEquals(text, Workflows.generate(spec));
      assertEquals(Optional.of(spec), Workflows.recordedSpec(text));
      assertEquals(List.of(), Workflows.check(text, spec, "f.yml"));
      assertEquals(List.of(), Workflows.check(text.replace("\n", "\r\n"), spec, "f.yml"),
          "CRLF line endings are no drift");
    }
  }

  @Test
  void checkShowsEachChangedLine() {
    WorkflowSpec spec = WorkflowVariants.all().get("defaults");
    String edited = Workflows.generate(spec)
        .replace("      HEALTH_PATH: /health\n", "      HEALTH_PATH: /ping\n      BLUE_PORT: 4100\n");
    List<String> drift = Workflows.check(edited, spec, "acme-production.yml");
    assertEquals("--- acme-production.yml", drift.get(0));
    assertTrue(drift.get(1).startsWith("+++ we workflow generate acme --env production"));
    assertTrue(drift.contains("-      HEALTH_PATH: /ping"), String.join("\n", drift));
    assertTrue(drift.contains("-      BLUE_PORT: 4100"), String.join("\n", drift));
    assertTrue(drift.contains("+      HEALTH_PATH: /health"), String.join("\n", drift));
    long changed = drift.stream().skip(2).filter(l -> l.startsWith("-") || l.startsWith("+")).count();
    assertEquals(3, changed, String.join("\n", drift));
    assertTrue(drift.stream().anyMatch(l -> l.matches("@@ -\\d+,\\d+ \\+\\d+,\\d+ @@")), drift.toString());
  }

  @Test
  void aHandWrittenWorkflowIsAllDrift() {
    String old = "name: deploy\non: push\njobs:\n  deploy:\n    runs-on: self-hosted\n"
        + "    env:\n      BLUE_PORT: 4100\n      GREEN_PORT: 4101\n";
    List<String> drift = Workflows.check(old, WorkflowSpec.of(ACME, PRODUCTION, List.of("app1")),
        "old.yml");
    assertTrue(drift.contains("-      BLUE_PORT: 4100"), String.join("\n", drift));
    assertTrue(drift.contains("-      GREEN_PORT: 4101"));
    assertEquals(Optional.empty(), Workflows.recordedSpec(old));
  }

  @Test
  void badSpecsAreRefusedNamingTheRule() {
    List<String> messages = new ArrayList<>();
    for (Runnable bad : List.<Runnable>of(
        () -> spec("-main", Optional.empty(), "GITHUB_TOKEN", "Dockerfile", "/health"),
        () -> spec("a..b", Optional.empty(), "GITHUB_TOKEN", "Dockerfile", "/health"),
        () -> spec("main", Optional.of("GHCR.io/Acme"), "GITHUB_TOKEN", "Dockerfile", "/health"),
        () -> spec("main", Optional.of("docker.io/acme"), "GITHUB_TOKEN", "Dockerfile", "/health"),
        () -> spec("main", Optional.empty(), "GITHUB_PAT", "Dockerfile", "/health"),
        () -> spec("main", Optional.empty(), "my secret", "Dockerfile", "/health"),
        () -> spec("main", Optional.empty(), "GITHUB_TOKEN", "../Dockerfile", "/health"),
        () -> spec("main", Optional.empty(), "GITHUB_TOKEN", "/etc/Dockerfile", "/health"),
        () -> spec("main", Optional.empty(), "GITHUB_TOKEN", "Dockerfile", "health"),
        () -> spec("main", Optional.empty(), "GITHUB_TOKEN", "Dockerfile", "/a b"),
        () -> WorkflowSpec.of(ACME, PRODUCTION, List.of("app 1")),
        () -> WorkflowSpec.of(ACME, PRODUCTION, List.of("app1\nx")))) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class, bad::run);
      messages.add(e.getMessage());
    }
    assertTrue(messages.get(3).contains("GITHUB_TOKEN logs in to ghcr.io only"), messages.get(3));
    assertTrue(messages.get(4).contains("GitHub reserves names starting with GITHUB_"));
    assertTrue(messages.get(6).contains("no '..'"), messages.get(6));
    assertTrue(messages.stream().allMatch(m -> m.contains("use") || m.contains("only")
        || m.contains("refuses") || m.contains("must")), messages.toString());
  }

  @Test
  void aBrokenHeaderLineIsBadInput() {
    assertThrows(InvalidRequestException.class,
        () -> Workflows.recordedSpec("# codeb-workflow: project=acme nonsense\n"));
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> Workflows.recordedSpec("# codeb-workflow: project=acme env=production"
            + " runner-labels=app1 port=4100\n"));
    assertTrue(e.getMessage().contains("unknown workflow parameter 'port'"), e.getMessage());
  }

  private static WorkflowSpec spec(String branch, Optional<String> registry, String secret,
      String dockerfile, String health) {
    return new WorkflowSpec(ACME, PRODUCTION, branch, registry, Optional.empty(), secret,
        dockerfile, ".", health, List.of("app1"));
  }

  @Test
  void defaultPathIsPerProjectAndEnvironment() {
    assertEquals(".github/workflows/acme-production.yml",
        WorkflowSpec.of(ACME, PRODUCTION, List.of()).defaultPath());
    assertEquals(List.of("self-hosted"), WorkflowSpec.of(ACME, PRODUCTION, List.of()).runnerLabels());
  }
}
