package kr.codeb.podman;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderConfig;
import kr.codeb.ProviderRegistry;
import kr.codeb.Secret;
import kr.codeb.UnavailableException;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.runtime.RuntimeVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The factory's URI forms (no I/O) and the discovery of podman:// against the real service. */
class PodmanDiscoveryTest {
  @TempDir Path dir;

  private static ProviderConfig config(String uri, Map<String, String> env) {
    // As ProviderRegistry reads them: "podman://" names the default location, "podman:///".
    String text = uri.matches("[a-z+]+:(//)?([?#].*)?") ? uri.replaceFirst(":(//)?", ":///") : uri;
    return new ProviderConfig(URI.create(text), Map.of(), PodmanTestSupportEnv.of(env));
  }

  @Test
  void schemesAndFormsWithoutIo() {
    PodmanRuntimeFactory factory = new PodmanRuntimeFactory();
    assertEquals(java.util.Set.of("podman", "podman+unix", "podman+ssh"), factory.schemes());
    PodmanConfig auto = PodmanRuntimeFactory.toPodmanConfig(config("podman://", Map.of()));
    assertEquals(Optional.empty(), auto.socket());
    assertEquals(PodmanConfig.ROOTFUL_SOCKET, auto.rootfulSocket());
    PodmanConfig unix = PodmanRuntimeFactory.toPodmanConfig(
        config("podman+unix:///nowhere/podman.sock", Map.of()));
    assertEquals(Optional.of(Path.of("/nowhere/podman.sock")), unix.socket());
    // No I/O: a runtime on a socket that does not exist is made without complaint.
    try (ContainerRuntime runtime = factory.create(config("podman+unix:///nowhere/podman.sock",
        Map.of()))) {
      assertEquals("podman", runtime.info().id());
      assertEquals("unix:///nowhere/podman.sock", runtime.info().location());
    }
    try (ContainerRuntime runtime = ProviderRegistry.load(name -> null)
        .containerRuntime("podman://")) {
      assertTrue(runtime instanceof PodmanRuntime, runtime::toString);
      assertTrue(runtime.info().location().contains("/run/podman/podman.sock"),
          runtime.info()::toString);
    }
  }

  @Test
  void badFormsAreRefusedWithTheAllowedOnes() {
    for (String bad : new String[] {"podman://host", "podman+unix://host/x.sock",
        "podman+unix:relative.sock", "podman+unix:///"}) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class,
          () -> PodmanRuntimeFactory.toPodmanConfig(config(bad, Map.of())), bad);
      assertTrue(e.getMessage().contains("podman+unix:///"), e.getMessage());
    }
    InvalidRequestException half = assertThrows(InvalidRequestException.class,
        () -> PodmanRuntimeFactory.toPodmanConfig(config("podman://",
            Map.of("CODEB_PODMAN_REGISTRY_USER", "me"))));
    assertTrue(half.getMessage().contains("registry-password"), half.getMessage());
    PodmanConfig withCredentials = PodmanRuntimeFactory.toPodmanConfig(config(
        "podman://?registry=ghcr.io", Map.of("CODEB_PODMAN_REGISTRY_USER", "me",
            "CODEB_PODMAN_REGISTRY_PASSWORD", "s3cret-token")));
    assertEquals(Optional.of("me"), withCredentials.registryUser());
    assertEquals(Optional.of(Secret.of("s3cret-token")), withCredentials.registryPassword());
    assertEquals(Optional.of("ghcr.io"), withCredentials.registryHost());
    assertTrue(!withCredentials.toString().contains("s3cret"), withCredentials::toString);
  }

  @Test
  void nothingAnswersListsEveryPlaceTried() {
    Path rootful = dir.resolve("run/podman/podman.sock");
    PodmanConfig config = PodmanConfig.auto().withRootfulSocket(rootful)
        .withEnvironment(PodmanTestSupportEnv.of(Map.of()));
    try (PodmanRuntime runtime = PodmanRuntime.create(config)) {
      UnavailableException e = assertThrows(UnavailableException.class, runtime::ping);
      assertEquals(Optional.of("podman"), e.provider());
      assertTrue(e.getMessage().contains("unix://" + rootful), e.getMessage());
      assertTrue(e.getMessage().contains("no such socket file"), e.getMessage());
      assertTrue(e.getMessage().contains("XDG_RUNTIME_DIR is not set"), e.getMessage());
    }
    Path xdg = dir.resolve("xdg");
    try (PodmanRuntime runtime = PodmanRuntime.create(config.withEnvironment(
        PodmanTestSupportEnv.of(Map.of("XDG_RUNTIME_DIR", xdg.toString()))))) {
      UnavailableException e = assertThrows(UnavailableException.class, runtime::ping);
      assertTrue(e.getMessage().contains("unix://" + xdg.resolve("podman/podman.sock")),
          e.getMessage());
    }
  }

  @Test
  void discoveryFindsTheRootlessSocketThroughXdgRuntimeDir() throws Exception {
    Path real = PodmanTestSupport.socket();
    Path xdg = dir.resolve("xdg");
    Files.createDirectories(xdg.resolve("podman"));
    Files.createSymbolicLink(xdg.resolve("podman/podman.sock"), real);
    PodmanConfig config = PodmanConfig.auto().withRootfulSocket(dir.resolve("absent.sock"))
        .withEnvironment(PodmanTestSupportEnv.of(Map.of("XDG_RUNTIME_DIR", xdg.toString(),
            "DOCKER_HOST", "unix:///var/run/docker.sock")));
    try (PodmanRuntime runtime = PodmanRuntime.create(config)) {
      RuntimeVersion version = runtime.ping();
      assertEquals("podman", version.engine(), version::toString);
      assertTrue(version.version().startsWith("4."), version::toString);
    }
  }
}
