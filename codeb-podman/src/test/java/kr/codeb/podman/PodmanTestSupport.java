package kr.codeb.podman;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import kr.codeb.tck.TestEngines;

/** How the Podman tests reach the test environment's Podman service: only through CODEB_TEST_*. */
final class PodmanTestSupport {
  private PodmanTestSupport() {}

  /** The test service's socket ({@code CODEB_TEST_PODMAN_SOCKET}, a plain absolute path). */
  static Path socket() {
    String value = TestEngines.require("CODEB_TEST_PODMAN_SOCKET").strip();
    return Path.of(value.replaceFirst("^unix://", ""));
  }

  /** The test service, with an environment holding nothing but HOME (no stray credentials). */
  static PodmanConfig config() {
    return PodmanConfig.unix(socket()).withEnvironment(environment(Map.of()));
  }

  static UnaryOperator<String> environment(Map<String, String> vars) {
    Path home = Path.of(System.getProperty("java.io.tmpdir"), "codeb-podman-test-no-home");
    return name -> vars.containsKey(name) ? vars.get(name)
        : name.equals("HOME") ? home.toString() : null;
  }

  /** The busybox test image as Podman names it: pulled from the local registry. */
  static String testImage() {
    return TestEngines.require("CODEB_TEST_REGISTRY").strip() + "/"
        + TestEngines.require("CODEB_TEST_IMAGE").strip();
  }

  /**
   * Pulls the test image into Podman's store with the podman CLI (the same rootful store as the
   * service; the local registry speaks plain HTTP, hence --tls-verify=false).
   */
  static void pullTestImage() {
    podman("pull", "--quiet", "--tls-verify=false", testImage());
  }

  static String podman(String... args) {
    List<String> command = new ArrayList<>();
    command.add("podman");
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " took more than 5 minutes");
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " failed (" + p.exitValue() + "): "
            + text);
      }
      return text;
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
