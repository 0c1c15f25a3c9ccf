package kr.codeb.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link RealDeployProcessesTest} on Podman ({@code CODEB_TEST_PODMAN_SOCKET}): the worker's
 * health command runs through Podman's exec. The example images are copied from dockerd's store
 * first, as in {@link RealDeployPodmanTest}.
 */
class RealDeployProcessesPodmanTest extends RealDeployProcessesTest {
  @BeforeAll
  static void exampleImagesInPodmansStore() throws IOException, InterruptedException {
    TestEngines.require("CODEB_TEST_PODMAN_SOCKET");
    String image = TestEngines.require("CODEB_TEST_EXAMPLE_IMAGE").strip();
    for (String tag : List.of("v1", "v2")) {
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
  protected int portRangeStart() {
    return 46800;
  }
}
