package kr.codeb.docker;

import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.tck.ContainerStreamsContract;
import kr.codeb.tck.TestEngines;

/** The container runtime contract against the real dockerd of the test environment. */
class DockerRuntimeContractTest extends ContainerStreamsContract {
  @Override
  protected ContainerRuntime newRuntime() {
    return DockerRuntime.create(DockerTestSupport.config());
  }

  @Override
  protected String testImage() {
    return TestEngines.require("CODEB_TEST_IMAGE");
  }
}
