package kr.codeb.podman;

import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.tck.ContainerStreamsContract;
import org.junit.jupiter.api.BeforeAll;

/**
 * The container runtime contract against the real Podman service of the test environment
 * ({@code CODEB_TEST_PODMAN_SOCKET}), with the busybox test image pulled from the local
 * registry ({@code CODEB_TEST_REGISTRY}).
 */
class PodmanRuntimeContractTest extends ContainerStreamsContract {
  @BeforeAll
  static void imageInPodmansStore() {
    PodmanTestSupport.pullTestImage();
  }

  @Override
  protected ContainerRuntime newRuntime() {
    return PodmanRuntime.create(PodmanTestSupport.config());
  }

  @Override
  protected String testImage() {
    return PodmanTestSupport.testImage();
  }
}
