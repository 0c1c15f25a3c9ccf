package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kr.codeb.ProviderRegistry;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real-engine deploy scenarios on Podman: {@code podman+unix://} + the socket from
 * {@code CODEB_TEST_PODMAN_SOCKET}, Caddy as for Docker. Podman's image store is separate from
 * dockerd's, so the example app's images ({@code CODEB_TEST_EXAMPLE_IMAGE}, built in dockerd)
 * are copied into it first with {@code podman pull docker-daemon:IMAGE:TAG} (the podman CLI
 * uses the same rootful store as the service). Without the variables the tests are skipped,
 * or fail under {@code CI=true}.
 *
 * <p>Podman runs no healthcheck by itself here (no systemd); the Podman runtime runs a due
 * check when it inspects a container, so {@code we slot} reports the check's real verdict.
 */
class RealDeployPodmanTest extends RealDeployScenarios {
  private static final List<String> TAGS = List.of("v1", "v2", "v3", "broken", "crash");

  @BeforeAll
  static void exampleImagesInPodmansStore() throws IOException, InterruptedException {
    TestEngines.require("CODEB_TEST_PODMAN_SOCKET");
    String image = TestEngines.require("CODEB_TEST_EXAMPLE_IMAGE").strip();
    for (String tag : TAGS) {
      Process p = new ProcessBuilder("podman", "pull", "--quiet", "docker-daemon:" + image + ":"
          + tag).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new AssertionError("podman pull docker-daemon:" + image + ":" + tag + " failed: "
            + out);
      }
    }
  }

  @Override
  protected String runtimeUri() {
    String socket = TestEngines.require("CODEB_TEST_PODMAN_SOCKET").strip()
        .replaceFirst("^unix://", "");
    return "podman+unix://" + socket;
  }

  @Override
  protected String image(String tag) {
    return TestEngines.require("CODEB_TEST_EXAMPLE_IMAGE").strip() + ":" + tag;
  }

  @Override
  protected int portRangeStart() {
    return 46300;
  }

  /** --quadlet writes the live slot's unit after the deploy; the secret only in the env file. */
  @Test
  void quadletUnitOfTheLiveSlot() throws IOException {
    Path units = dir.resolve("units");
    String secret = "quadlet-secret-" + project;
    JsonNode r = we("deploy", project, "--env", ENV, "--image", image("v1"), "--host", host,
        "--drain", "200ms", "--health-timeout", "20s", "--health-interval", "100ms",
        "--keep-images", "10", "-e", "APP_SECRET=" + secret, "--quadlet", units.toString(),
        "--json").expect(0).json();
    String name = project + "-" + ENV + "-" + r.get("slot").asText();
    Path unit = units.resolve(name + ".container");
    Path env = units.resolve(name + ".env");
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(unit)));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(env)));
    List<String> lines = Files.readAllLines(unit);
    assertTrue(lines.containsAll(List.of("[Container]", "Image=" + image("v1"),
        "ContainerName=" + name, "PublishPort=127.0.0.1:" + r.get("port").asInt() + ":8080",
        "EnvironmentFile=" + env.toAbsolutePath(), "Label=codeb.project=" + project,
        "Label=codeb.slot=" + r.get("slot").asText(), "[Service]", "Restart=always",
        "[Install]", "WantedBy=default.target")), String.join("\n", lines));
    assertFalse(Files.readString(unit).contains(secret));
    assertEquals("APP_SECRET=" + secret + "\n", Files.readString(env));
  }

  /** --quadlet with a Docker runtime is bad input: nothing is started. */
  @Test
  void quadletNeedsPodman() {
    String docker = "docker+" + TestEngines.require("CODEB_TEST_DOCKER_HOST").strip();
    WeRunner.Result r = WeRunner.run("--ssot", ssot.toString(), "--runtime", docker,
        "--proxy", proxyUri, "deploy", project, "--env", ENV, "--image", image("v1"),
        "--quadlet", dir.resolve("units").toString(), "--json");
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals("invalid-request", r.errorJson().at("/error/kind").asText(), r.err());
    try (ContainerRuntime runtime = ProviderRegistry.load().containerRuntime(docker)) {
      assertEquals(List.of(), runtime.list(Map.of("codeb.project", project)));
    }
    assertFalse(Files.exists(dir.resolve("units")));
  }

  /**
   * The config file's pre-deploy hook on Podman: it runs in a one-off container of the new
   * release (its image's files and its environment, the value masked in the output), and when
   * it fails the deploy stops before anything moves: the old release keeps serving under load
   * with no failed request, and no hook container is left.
   */
  @Test
  void preDeployHookRunsInTheNewReleaseAndAFailingOneKeepsTheOldReleaseServing()
      throws IOException {
    deploy("v1").expect(0);
    String token = "hook-token-" + project;
    Path config = Files.writeString(dir.resolve("hooks.yaml"), "projects:\n  " + project
        + ":\n    hooks:\n      pre-deploy: 'cat /www/index.html; echo \"token=$HOOK_TOKEN\";"
        + " test \"$FAIL\" != yes || { echo migration failed; exit 7; }'\n"
        + "      timeout: 1m\n");
    WeRunner.Result ok = hookDeploy(config, "v2", "HOOK_TOKEN=" + token).expect(0);
    assertTrue(ok.err().contains("pre-deploy: hello from v2"), "ran in the new release: "
        + ok.err());
    assertTrue(ok.err().contains("pre-deploy: token=[redacted]"), ok.err());
    assertFalse(ok.out().contains(token) || ok.err().contains(token), "the value was printed");
    String live = ok.json().get("live").asText();
    assertServes("v2");

    ProxyTraffic.Load fresh = load(ProxyTraffic.Load.newConnections(caddyPort, host,
        java.util.Set.of(body("v2"))));
    ProxyTraffic.Load kept = load(ProxyTraffic.Load.keepAlive(caddyPort, host,
        java.util.Set.of(body("v2"))));
    pause(300);
    WeRunner.Result failed = hookDeploy(config, "v3", "HOOK_TOKEN=" + token, "FAIL=yes")
        .expect(1);
    pause(500);
    fresh.close();
    kept.close();
    JsonNode j = failed.json();
    assertEquals("failed", j.get("outcome").asText(), j.toString());
    assertTrue(j.get("reason").asText().contains("pre-deploy hook exited with 7"), j.toString());
    assertTrue(j.get("logTail").asText().contains("hello from v3"), j.toString());
    assertTrue(j.get("logTail").asText().contains("migration failed"), j.toString());
    assertTrue(j.get("logTail").asText().contains("token=[redacted]"), j.toString());
    assertEquals(live, j.get("live").asText(), j.toString());
    assertFalse(failed.out().contains(token) || failed.err().contains(token));
    for (ProxyTraffic.Load load : List.of(fresh, kept)) {
      System.out.println("podman failed pre-deploy hook: " + load.summary());
      assertTrue(load.total.get() >= 10, load.summary());
      assertEquals(0, load.wrong.get(), load.summary());
      assertEquals(0, load.badStatus.get(), load.summary());
      assertEquals(0, load.errors.get(), load.summary());
      assertEquals(0, load.stale.get(), load.summary());
    }
    assertServes("v2");
    try (ContainerRuntime runtime = providers().containerRuntime(runtimeUri())) {
      assertTrue(runtime.list(Map.of("codeb.project", project)).stream()
          .noneMatch(c -> c.image().endsWith(":v3")),
          "no container of v3 (hook or slot) is left: " + runtime.list(Map.of("codeb.project",
              project)));
    }
  }

  private WeRunner.Result hookDeploy(Path config, String tag, String... env) {
    List<String> args = new java.util.ArrayList<>(List.of("--config", config.toString()));
    args.addAll(List.of(deployArgs(tag)));
    for (String pair : env) {
      args.addAll(List.of("-e", pair));
    }
    return WeRunner.run(environment(), args.toArray(String[]::new));
  }
}
