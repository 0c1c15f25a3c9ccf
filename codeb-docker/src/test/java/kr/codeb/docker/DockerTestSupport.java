package kr.codeb.docker;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import kr.codeb.tck.TestEngines;

/** How the Docker tests reach the test environment's dockerd: only through CODEB_TEST_*. */
final class DockerTestSupport {
  private DockerTestSupport() {}

  /** The test engine, with an environment holding nothing but HOME (no stray credentials). */
  static DockerConfig config() {
    return DockerConfig.of(URI.create(TestEngines.require("CODEB_TEST_DOCKER_HOST")))
        .withEnvironment(environment(Map.of()));
  }

  /** An environment with just these variables, plus HOME pointing nowhere useful. */
  static UnaryOperator<String> environment(Map<String, String> vars) {
    Path home = Path.of(System.getProperty("java.io.tmpdir"), "codeb-docker-test-no-home");
    return name -> vars.containsKey(name) ? vars.get(name)
        : name.equals("HOME") ? home.toString() : null;
  }
}
