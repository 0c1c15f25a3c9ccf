package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The generated workflow's deploy job, run as GitHub runs it: its {@code run:} steps extracted
 * from the file, each a {@code bash -eo pipefail} script with the variables GitHub sets
 * ({@code GITHUB_SHA}, {@code GITHUB_WORKSPACE}, {@code GITHUB_STEP_SUMMARY}, {@code RUNNER_TEMP},
 * ...), the job's {@code env:} with its expressions evaluated, and {@code we} on the PATH (the
 * CLI's real entry point, in its own JVM). The engines are real: Docker, Caddy and the local
 * registry with auth, where the test pushes the image the build job would have pushed.
 */
class WorkflowRunStepsTest extends RealDeployHarness {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*(.*?)\\s*}}");

  private final List<String> imagesToRemove = new ArrayList<>();

  @Override
  protected String runtimeUri() {
    String dockerHost = TestEngines.require("CODEB_TEST_DOCKER_HOST").strip();
    return dockerHost.startsWith("docker") ? dockerHost : "docker+" + dockerHost;
  }

  @Override
  protected String image(String tag) {
    return TestEngines.require("CODEB_TEST_EXAMPLE_IMAGE").strip() + ":" + tag;
  }

  @Override
  protected int portRangeStart() {
    return 47300;
  }

  @AfterEach
  void removeImages() throws Exception {
    for (String image : imagesToRemove) {
      docker(dir.resolve("docker-cleanup"), "rmi", "-f", image);
    }
  }

  /** What one run of the deploy job did. */
  record JobRun(List<Integer> exitCodes, String log, String summary, Path runnerTemp) {}

  @Test
  void aPushDeploysTheExactDigestAndTheSummaryNamesReleaseSlotAndUrl() throws Exception {
    deploy("v1").expect(0);                                    // live: blue, with a host name
    String digestRef = pushTestImage("v2");
    Path workflow = generate();
    JobRun run = runDeployJob(workflow, digestRef);

    assertEquals(List.of(0, 0, 0), run.exitCodes(), run.log());
    assertTrue(run.log().contains("Login Succeeded"), "the pull step logged in: " + run.log());
    assertFalse(run.log().contains(password()), "the password never shows");
    assertFalse(Files.exists(run.runnerTemp().resolve("codeb-docker-config")),
        "the job's own docker login is removed");
    JsonNode result = WeRunner.MAPPER.readTree(
        Files.readString(run.runnerTemp().resolve("codeb-deploy.json")));
    assertEquals("deployed", result.get("outcome").asText(), run.log());
    assertEquals(digestRef, result.get("image").asText());
    assertEquals("green", result.get("slot").asText());
    assertEquals(body("v2"), ProxyTraffic.get(caddyPort, host, "/").body());
    assertTrue(containers(project).stream().anyMatch(c -> c.image().equals(digestRef)
        && "green".equals(c.labels().get("codeb.slot"))), containers(project).toString());
    assertTrue(run.summary().contains("| outcome | deployed |"), run.summary());
    assertTrue(run.summary().contains("| release | " + result.get("release").asText() + " |"),
        run.summary());
    assertTrue(run.summary().contains("| slot | green |"), run.summary());
    assertTrue(run.summary().contains("| URL | https://" + host + "/ |"), run.summary());
  }

  @Test
  void aReleaseThatFailsTheGateFailsTheJobAndTrafficStays() throws Exception {
    deploy("v1").expect(0);
    String digestRef = pushTestImage("crash");                 // exits at once: gate fails
    JobRun run = runDeployJob(generate(), digestRef);

    assertEquals(List.of(0, 1, 0), run.exitCodes(), "the deploy step fails the job, the summary"
        + " step still runs: " + run.log());
    assertEquals(body("v1"), ProxyTraffic.get(caddyPort, host, "/").body());
    assertTrue(run.summary().contains("| outcome | failed |"), run.summary());
    assertTrue(run.summary().contains("| live slot | blue |"), run.summary());
  }

  private Path generate() {
    Path out = dir.resolve("repo/.github/workflows/" + project + "-" + ENV + ".yml");
    we("workflow", "generate", project, "--env", ENV, "--registry", registry() + "/codeb-wf",
        "--registry-user", TestEngines.require("CODEB_TEST_REGISTRY_AUTH_USER"),
        "--registry-secret", "REGISTRY_PASSWORD", "--runner-label", "app1",
        "--out", out.toString()).expect(0);
    return out;
  }

  /**
   * What the build job does, here: an image of the example app's {@code tag} made unique to
   * this test, pushed to the registry as {@code IMAGE:SHA}; returns {@code IMAGE@sha256:...}
   * and removes the local tag, so that the deploy job must pull it.
   */
  private String pushTestImage(String tag) throws Exception {
    Path config = dir.resolve("docker-build-config");
    Path context = Files.createDirectories(dir.resolve("build-" + tag));
    Files.writeString(context.resolve("Dockerfile"), "FROM " + image(tag) + "\n"
        + "LABEL codeb.workflow-test=" + project + "-" + tag + "\n");
    String repository = registry() + "/codeb-wf/" + project;
    String tagged = repository + ":" + sha();
    docker(config, "build", "-q", "-t", tagged, context.toString());
    dockerLogin(config);
    docker(config, "push", tagged);
    String digests = docker(config, "image", "inspect", "--format",
        "{{range .RepoDigests}}{{println .}}{{end}}", tagged);
    String digestRef = digests.lines().filter(l -> l.startsWith(repository + "@sha256:"))
        .findFirst().orElseGet(() -> fail("no digest of " + tagged + " in " + digests));
    docker(config, "rmi", tagged);
    imagesToRemove.add(digestRef);
    return digestRef;
  }

  /** Runs the deploy job's steps in order, as the runner would. */
  private JobRun runDeployJob(Path workflow, String digestRef) throws Exception {
    JsonNode job = YAML.readTree(workflow.toFile()).get("jobs").get("deploy");
    Map<String, String> expressions = Map.of(
        "needs.build.outputs.image", digestRef,
        "secrets.REGISTRY_PASSWORD", password(),
        "github.actor", "codeb-test");
    Path runnerTemp = Files.createDirectories(dir.resolve("runner/_temp"));
    Path workspace = Files.createDirectories(dir.resolve("runner/_work/repo"));
    Path summary = Files.createFile(dir.resolve("runner/step-summary.md"));
    Path shims = shims();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", shims + ":/usr/bin:/bin");
    env.put("HOME", Files.createDirectories(dir.resolve("runner/home")).toString());
    env.put("CI", "true");
    env.put("GITHUB_ACTIONS", "true");
    env.put("GITHUB_SHA", sha());
    env.put("GITHUB_REF", "refs/heads/main");
    env.put("GITHUB_REPOSITORY", "acme/" + project);
    env.put("GITHUB_RUN_ID", "1");
    env.put("GITHUB_WORKSPACE", workspace.toString());
    env.put("GITHUB_STEP_SUMMARY", summary.toString());
    env.put("GITHUB_OUTPUT", Files.createFile(dir.resolve("runner/output")).toString());
    env.put("GITHUB_ENV", Files.createFile(dir.resolve("runner/env")).toString());
    env.put("RUNNER_TEMP", runnerTemp.toString());
    // The runner's own environment (its .env file): the engines and the SSOT.
    env.put("DOCKER_HOST", TestEngines.require("CODEB_TEST_DOCKER_HOST"));
    env.put("DOCKER_CONFIG", dir.resolve("runner/home/.docker").toString());
    env.put("CODEB_SSOT", ssot.toString());
    env.put("CODEB_RUNTIME", runtimeUri());
    env.put("CODEB_PROXY", proxyUri);
    env.put("CODEB_DAEMON", "off");
    evaluated(job.get("env"), expressions).forEach(env::put);

    List<Integer> codes = new ArrayList<>();
    StringBuilder log = new StringBuilder();
    boolean failed = false;
    int index = 0;
    for (JsonNode step : job.get("steps")) {
      String condition = step.has("if") ? step.get("if").asText() : "";
      boolean always = condition.equals("${{ !cancelled() }}");
      assertTrue(condition.isEmpty() || always, "a condition this test knows: " + condition);
      if (failed && !always) {
        continue;
      }
      Map<String, String> stepEnv = new LinkedHashMap<>(env);
      if (step.has("env")) {
        evaluated(step.get("env"), expressions).forEach(stepEnv::put);
      }
      Path script = dir.resolve("runner/step-" + index++ + ".sh");
      Files.writeString(script, step.get("run").asText());
      ProcessBuilder pb = new ProcessBuilder("/bin/bash", "--noprofile", "--norc", "-eo",
          "pipefail", script.toString()).directory(workspace.toFile()).redirectErrorStream(true);
      pb.environment().clear();
      pb.environment().putAll(stepEnv);
      Process p = pb.start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(5, TimeUnit.MINUTES), "step finished");
      codes.add(p.exitValue());
      log.append("== ").append(step.get("name").asText()).append(" (exit ")
          .append(p.exitValue()).append(")\n").append(output);
      failed |= p.exitValue() != 0;
    }
    return new JobRun(codes, log.toString(), Files.readString(summary), runnerTemp);
  }

  /** The job's env: values with {@code ${{ }}} evaluated from {@code known}; others fail. */
  private static Map<String, String> evaluated(JsonNode env, Map<String, String> known) {
    Map<String, String> out = new LinkedHashMap<>();
    env.properties().forEach(e -> {
      Matcher m = EXPRESSION.matcher(e.getValue().asText());
      StringBuilder b = new StringBuilder();
      while (m.find()) {
        String value = known.get(m.group(1));
        if (value == null) {
          fail("an expression this test does not know: " + m.group());
        }
        m.appendReplacement(b, Matcher.quoteReplacement(value));
      }
      m.appendTail(b);
      out.put(e.getKey(), b.toString());
    });
    return out;
  }

  /**
   * {@code we} (the CLI's main class in a JVM of its own, on this build's class path) and
   * {@code docker} (the engine's own client, /usr/bin/docker) on the runner's PATH.
   */
  private Path shims() throws IOException {
    Path bin = Files.createDirectories(dir.resolve("runner/bin"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path we = bin.resolve("we");
    Files.writeString(we, "#!/bin/bash\nexec '" + java + "' -XX:TieredStopAtLevel=1 -cp '"
        + System.getProperty("java.class.path") + "' " + Main.class.getName() + " \"$@\"\n");
    we.toFile().setExecutable(true);
    Path docker = bin.resolve("docker");
    Files.writeString(docker, "#!/bin/bash\nexec /usr/bin/docker \"$@\"\n");
    docker.toFile().setExecutable(true);
    return bin;
  }

  private String docker(Path config, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("/usr/bin/docker"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("DOCKER_HOST", TestEngines.require("CODEB_TEST_DOCKER_HOST"));
    pb.environment().put("DOCKER_BUILDKIT", "0");
    pb.environment().put("DOCKER_CONFIG", config.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(3, TimeUnit.MINUTES), "docker " + String.join(" ", args));
    if (p.exitValue() != 0 && !args[0].equals("rmi")) {
      fail("docker " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }

  private void dockerLogin(Path config) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("/usr/bin/docker", "login", "--username",
        TestEngines.require("CODEB_TEST_REGISTRY_AUTH_USER"), "--password-stdin", registry())
        .redirectErrorStream(true);
    pb.environment().put("DOCKER_HOST", TestEngines.require("CODEB_TEST_DOCKER_HOST"));
    pb.environment().put("DOCKER_CONFIG", config.toString());
    Process p = pb.start();
    p.getOutputStream().write(password().getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(1, TimeUnit.MINUTES) && p.exitValue() == 0, "docker login: " + out);
  }

  private static String registry() {
    return TestEngines.require("CODEB_TEST_REGISTRY_AUTH").strip();
  }

  private static String password() {
    return TestEngines.require("CODEB_TEST_REGISTRY_AUTH_PASSWORD");
  }

  private String sha;

  private String sha() {
    if (sha == null) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 40; i++) {
        b.append(Character.forDigit(ThreadLocalRandom.current().nextInt(16), 16));
      }
      sha = b.toString();
    }
    return sha;
  }
}
