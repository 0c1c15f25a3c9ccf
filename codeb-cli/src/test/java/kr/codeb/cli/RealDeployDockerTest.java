package kr.codeb.cli;

import kr.codeb.tck.TestEngines;

/**
 * The real-engine deploy scenarios on Docker: {@code docker+unix://...} from
 * {@code CODEB_TEST_DOCKER_HOST}, the example app from {@code CODEB_TEST_EXAMPLE_IMAGE}, Caddy
 * from {@code CODEB_TEST_CADDY_ADMIN} and {@code CODEB_TEST_CADDY_HTTP_PORT} (all written by
 * {@code scripts/test-env.sh up}). Without them the tests are skipped, or fail under
 * {@code CI=true}.
 */
class RealDeployDockerTest extends RealDeployScenarios {
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
    return 46100;
  }
}
