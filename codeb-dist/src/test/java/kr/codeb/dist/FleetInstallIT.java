package kr.codeb.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The release onto the test fleet's app server (sshd-a on 127.0.0.11, this same machine), as a
 * user does it: the archive unpacked here, its {@code we fleet install} (with only a JDK on the
 * PATH) packs its own installation, uploads it, checks it and installs it into a prefix under
 * this test's temporary folder on the "server"; the installed {@code we} then answers over SSH,
 * and the generated workflow's deploy job runs there with it, step by step, against the test
 * environment's Docker and Caddy.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetInstallIT {
  private static final String ENV = "production";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*(.*?)\\s*}}");

  private static Path tmp;
  private static Path local;
  private static Path config;
  private static Path prefix;
  private static Path serverBin;
  private static Shell shell;
  private static String project;

  @BeforeAll
  static void setUp() throws IOException {
    String user = TestEngines.require("CODEB_TEST_SSH_USER");
    tmp = Files.createTempDirectory(Path.of("/tmp"), "we-fleet-install");
    local = Archives.unpack(Archives.ARCHIVE, tmp.resolve("local"));
    prefix = tmp.resolve("server/opt-codeb");
    serverBin = tmp.resolve("server/bin");
    config = Files.writeString(tmp.resolve("fleet.yaml"), "ssh:\n"
        + "  user: " + user + "\n"
        + "  key: " + TestEngines.require("CODEB_TEST_SSH_KEY") + "\n"
        + "  knownHosts: " + TestEngines.require("CODEB_TEST_SSH_KNOWN_HOSTS") + "\n"
        + "servers:\n"
        + "  - { name: app1, roles: [app], public: 127.0.0.11, private: 127.0.0.11,"
        + " ssh: '127.0.0.11:" + TestEngines.require("CODEB_TEST_SSH_PORT_A") + "' }\n");
    shell = Shell.in(tmp, tmp).with("CODEB_CDS", "off").with("CODEB_DAEMON", "off");
    project = "wi-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
  }

  @AfterAll
  static void clean() throws Exception {
    if (project != null && tmp != null) {
      String dockerHost = TestEngines.optional("CODEB_TEST_DOCKER_HOST").orElse(null);
      if (dockerHost != null) {
        Shell.in(tmp, tmp).with("PATH", "/usr/bin:/bin").with("DOCKER_HOST", dockerHost)
            .run("/bin/sh", "-c", "ids=$(/usr/bin/docker ps -aq --filter label=codeb.project="
                + project + "); [ -z \"$ids\" ] || /usr/bin/docker rm -f $ids");
      }
      TestEngines.optional("CODEB_TEST_CADDY_ADMIN").ifPresent(admin -> {
        try {
          HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(admin
              .replaceFirst("/+$", "") + "/id/codeb-route-" + project + "-" + ENV))
              .DELETE().build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException | InterruptedException e) {
          // the route of a random project name stays behind in the test Caddy
        }
      });
    }
    Archives.deleteTree(tmp);
  }

  private static Shell.Result install() {
    return shell.run(Duration.ofMinutes(3), local.resolve("bin/we").toString(), "--config",
        config.toString(), "fleet", "install", "--servers", "app1", "--prefix",
        prefix.toString(), "--bin-dir", serverBin.toString(), "--json");
  }

  /** {@code command} run on the server over SSH with the system's ssh client. */
  private static Shell.Result onServer(String command) {
    return Shell.in(tmp, tmp).with("PATH", "/usr/bin:/bin").run(Duration.ofMinutes(5),
        Shell.tool("ssh"), "-n", "-F", "none", "-o", "BatchMode=yes", "-o",
        "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile="
            + TestEngines.require("CODEB_TEST_SSH_KNOWN_HOSTS"), "-o", "IdentitiesOnly=yes",
        "-i", TestEngines.require("CODEB_TEST_SSH_KEY"), "-p",
        TestEngines.require("CODEB_TEST_SSH_PORT_A"),
        TestEngines.require("CODEB_TEST_SSH_USER") + "@127.0.0.11", command);
  }

  private static String q(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  @Test
  @Order(1)
  void installsItsOwnReleaseOnTheServerWhereItAnswersAndAgainChangesNothing() throws Exception {
    String localVersion = shell.run(local.resolve("bin/we").toString(), "--version").expect(0)
        .out().lines().findFirst().orElseThrow();

    Shell.Result first = install().expect(0);
    JsonNode result = JSON.readTree(first.out());
    assertEquals("we-" + Archives.VERSION + ".tar.gz", result.get("archive").get("file").asText());
    assertTrue(result.get("archive").get("sha256").asText().matches("[0-9a-f]{64}"), first.out());
    JsonNode app1 = result.get("servers").get(0);
    assertEquals("installed", app1.get("outcome").asText(), app1.toString());
    assertFalse(app1.has("before"), app1.toString());
    assertEquals(localVersion, app1.get("after").asText(), "the same build answers there");
    // The folder on the server is the build's: its SHA256SUMS, every file checked by sha256sum.
    Path installed = prefix.resolve("we-" + Archives.VERSION);
    assertEquals(Path.of("we-" + Archives.VERSION), Files.readSymbolicLink(prefix.resolve("current")));
    assertEquals(Files.readString(local.resolve("SHA256SUMS")),
        Files.readString(installed.resolve("SHA256SUMS")));

    Shell.Result there = onServer("cd / && " + q(serverBin.resolve("we").toString())
        + " --version && cd " + q(installed.toString())
        + " && sha256sum --check --strict --quiet SHA256SUMS").expect(0);
    assertEquals(localVersion, there.out().lines().findFirst().orElseThrow(), there.out());
    assertTrue(there.out().lines().skip(1).findFirst().orElseThrow().startsWith("Java "),
        there.out());

    JsonNode secondRun = JSON.readTree(install().expect(0).out());
    assertFalse(secondRun.get("archive").has("sha256"), "not even packed: " + secondRun);
    JsonNode again = secondRun.get("servers").get(0);
    assertEquals("unchanged", again.get("outcome").asText(), again.toString());
    assertFalse(again.get("uploaded").asBoolean(), again.toString());
    assertEquals(localVersion, again.get("before").asText());
  }

  @Test
  @Order(3)
  void aChangedInstallationIsNotShippedAndNothingIsInstalled() throws Exception {
    Path tampered = Archives.unpack(Archives.ARCHIVE, tmp.resolve("tampered"));
    Files.writeString(tampered.resolve("README.md"), "changed\n",
        java.nio.file.StandardOpenOption.APPEND);
    Path other = tmp.resolve("server/other-prefix");
    Shell.Result r = shell.run(Duration.ofMinutes(3), tampered.resolve("bin/we").toString(),
        "--config", config.toString(), "fleet", "install", "--prefix", other.toString(), "--json");
    r.expect(1);
    JsonNode app1 = JSON.readTree(r.out()).get("servers").get(0);
    assertEquals("failed", app1.get("outcome").asText(), app1.toString());
    assertFalse(app1.get("uploaded").asBoolean(), app1.toString());
    assertTrue(app1.get("detail").asText().contains("does not match its SHA256SUMS (README.md is"
        + " changed or missing)"), app1.toString());
    assertFalse(Files.exists(other.resolve("current")), "nothing installed");
  }

  /** The deploy job of {@code we workflow generate}, its steps run on the server over SSH. */
  @Test
  @Order(2)
  void theWorkflowsDeployJobRunsTheInstalledWeOnTheServer() throws Exception {
    if (!Files.exists(serverBin.resolve("we"))) {
      install().expect(0);
    }
    String dockerHost = TestEngines.require("CODEB_TEST_DOCKER_HOST").strip();
    String admin = TestEngines.require("CODEB_TEST_CADDY_ADMIN").replaceFirst("^https?://", "")
        .replaceFirst("/+$", "");
    int caddyPort = Integer.parseInt(TestEngines.require("CODEB_TEST_CADDY_HTTP_PORT").strip());
    String image = TestEngines.require("CODEB_TEST_EXAMPLE_IMAGE").strip() + ":v1";
    int rangeStart = freeBlockFrom(47600);
    Path ssot = Files.writeString(tmp.resolve("ssot.json"), "{\"version\":\"7.0.0\","
        + "\"portRanges\":{\"" + ENV + "\":{\"start\":" + rangeStart + ",\"end\":"
        + (rangeStart + 99) + "}},\"projects\":{},\"ports\":{\"allocated\":{}}}\n");
    Path runner = Files.createDirectories(tmp.resolve("runner"));
    Path workflow = runner.resolve("repo/.github/workflows/deploy.yml");
    Files.createDirectories(workflow.getParent());

    // The runner's environment (its .env file): the engines and the SSOT; PATH has the
    // installed we and the system's tools, nothing of this build.
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", serverBin + ":/usr/bin:/bin");
    env.put("HOME", Files.createDirectories(runner.resolve("home")).toString());
    env.put("CODEB_CDS", "off");
    env.put("CODEB_DAEMON", "off");
    env.put("CODEB_SSOT", ssot.toString());
    env.put("CODEB_RUNTIME", dockerHost.startsWith("docker") ? dockerHost : "docker+" + dockerHost);
    env.put("CODEB_PROXY", "caddy+http://" + admin + "?listen=127.0.0.1:" + caddyPort
        + "&auto_https=off");
    env.put("DOCKER_HOST", dockerHost);
    env.put("DOCKER_CONFIG", runner.resolve("home/.docker").toString());

    runOnServer(runner, env, "we workflow generate " + project + " --env " + ENV
        + " --registry registry.invalid/acme --registry-user ci --registry-secret"
        + " REGISTRY_PASSWORD --runner-label app1 --out " + q(workflow.toString()), "generate")
        .expect(0);

    JsonNode job = YAML.readTree(workflow.toFile()).get("jobs").get("deploy");
    Map<String, String> known = Map.of("needs.build.outputs.image", image,
        "secrets.REGISTRY_PASSWORD", "not-needed-the-image-is-here", "github.actor", "codeb-test");
    Path workspace = Files.createDirectories(runner.resolve("_work/repo"));
    Path summary = Files.createFile(runner.resolve("step-summary.md"));
    Path runnerTemp = Files.createDirectories(runner.resolve("_temp"));
    env.put("CI", "true");
    env.put("GITHUB_ACTIONS", "true");
    env.put("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567");
    env.put("GITHUB_REPOSITORY", "acme/" + project);
    env.put("GITHUB_WORKSPACE", workspace.toString());
    env.put("GITHUB_STEP_SUMMARY", summary.toString());
    env.put("RUNNER_TEMP", runnerTemp.toString());
    env.putAll(evaluated(job.get("env"), known));

    List<Integer> codes = new ArrayList<>();
    StringBuilder log = new StringBuilder();
    int index = 0;
    for (JsonNode step : job.get("steps")) {
      Map<String, String> stepEnv = new LinkedHashMap<>(env);
      if (step.has("env")) {
        stepEnv.putAll(evaluated(step.get("env"), known));
      }
      Path script = Files.writeString(runner.resolve("step-" + index++ + ".sh"),
          step.get("run").asText());
      Shell.Result r = runOnServer(workspace, stepEnv, "/bin/bash --noprofile --norc -eo pipefail "
          + q(script.toString()), step.get("name").asText());
      codes.add(r.code());
      log.append("== ").append(step.get("name").asText()).append(" (exit ").append(r.code())
          .append(")\n").append(r.out()).append(r.err());
    }

    assertEquals(List.of(0, 0, 0), codes, log.toString());
    assertTrue(log.toString().contains(image + " is on this server already"), log.toString());
    JsonNode result = JSON.readTree(Files.readString(runnerTemp.resolve("codeb-deploy.json")));
    assertEquals("deployed", result.get("outcome").asText(), log.toString());
    assertEquals(image, result.get("image").asText());
    int port = result.get("port").asInt();
    assertTrue(port >= rangeStart && port < rangeStart + 100, result.toString());
    HttpResponse<String> served = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, served.statusCode());
    assertTrue(served.body().contains("hello from v1"), served.body());
    String written = Files.readString(summary);
    assertTrue(written.contains("| outcome | deployed |"), written);
  }

  /** {@code command} on the server, in {@code dir}, with exactly {@code env}. */
  private static Shell.Result runOnServer(Path dir, Map<String, String> env, String command,
      String what) {
    StringBuilder line = new StringBuilder("cd " + q(dir.toString()) + " && exec env -i");
    env.forEach((k, v) -> line.append(' ').append(k).append('=').append(q(v)));
    line.append(' ').append(command);
    Shell.Result r = onServer(line.toString());
    if (r.code() == 255) {
      fail(what + ": ssh failed: " + r.err());
    }
    return r;
  }

  private static Map<String, String> evaluated(JsonNode values, Map<String, String> known) {
    Map<String, String> out = new LinkedHashMap<>();
    values.properties().forEach(e -> {
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

  /** The first block of 100 ports from {@code hint} nothing on this machine listens on. */
  private static int freeBlockFrom(int hint) {
    for (int start = hint; start + 100 <= 65535; start += 100) {
      boolean free = true;
      for (int port = start; port < start + 100 && free; port++) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
          probe.bind(new java.net.InetSocketAddress("127.0.0.1", port));
        } catch (IOException taken) {
          free = false;
        }
      }
      if (free) {
        return start;
      }
    }
    throw new IllegalStateException("no free block of ports from " + hint);
  }
}
