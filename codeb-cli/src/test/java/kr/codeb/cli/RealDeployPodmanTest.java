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
}
