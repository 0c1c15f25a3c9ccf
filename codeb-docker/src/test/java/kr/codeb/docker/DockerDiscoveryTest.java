package kr.codeb.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderConfig;
import kr.codeb.ProviderRegistry;
import kr.codeb.Secret;
import kr.codeb.UnavailableException;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.runtime.RuntimeVersion;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker:// discovery, the factory's URI forms, and what it does without any engine. */
class DockerDiscoveryTest {
  @TempDir
  Path dir;

  @Test
  void whenNothingAnswersTheMessageListsEveryPlaceTried() throws IOException {
    Path dead = dir.resolve("dead.sock");
    Path notASocket = Files.writeString(dir.resolve("plain-file"), "x");
    DockerConfig config = DockerConfig.auto()
        .withEnvironment(DockerTestSupport.environment(Map.of("DOCKER_HOST", "unix://" + dead)))
        .withDefaultSocket(dir.resolve("absent-default.sock"));
    try (DockerRuntime runtime = DockerRuntime.create(config)) {
      UnavailableException e = assertThrows(UnavailableException.class, runtime::ping);
      assertTrue(e.getMessage().contains("DOCKER_HOST=unix://" + dead), e.getMessage());
      assertTrue(e.getMessage().contains("unix://" + dir.resolve("absent-default.sock")),
          e.getMessage());
      assertTrue(e.getMessage().contains("no such socket file"), e.getMessage());
      assertEquals(java.util.Optional.of("docker"), e.provider());
      assertTrue(e.isRetryable());
    }
    DockerConfig plain = DockerConfig.auto()
        .withEnvironment(DockerTestSupport.environment(
            Map.of("DOCKER_HOST", "unix://" + notASocket)))
        .withDefaultSocket(dir.resolve("absent-default.sock"));
    try (DockerRuntime runtime = DockerRuntime.create(plain)) {
      UnavailableException e = assertThrows(UnavailableException.class, runtime::ping);
      assertTrue(e.getMessage().contains("tried DOCKER_HOST=unix://" + notASocket + ": "),
          e.getMessage());
      assertFalse(e.getMessage().contains("tried DOCKER_HOST=unix://" + notASocket
          + ": no such socket file"), e.getMessage());
    }
  }

  @Test
  void anUnsupportedDockerHostIsReportedAndTheDefaultSocketStillTried() {
    Path socket = Path.of(URI.create(TestEngines.require("CODEB_TEST_DOCKER_HOST")).getPath());
    DockerConfig config = DockerConfig.auto()
        .withEnvironment(DockerTestSupport.environment(Map.of("DOCKER_HOST", "ssh://root@example")))
        .withDefaultSocket(socket);
    try (DockerRuntime runtime = DockerRuntime.create(config)) {
      assertEquals("docker", runtime.ping().engine());
    }
  }

  @Test
  void aDeadDockerHostFallsBackToTheDefaultSocket() {
    Path socket = Path.of(URI.create(TestEngines.require("CODEB_TEST_DOCKER_HOST")).getPath());
    DockerConfig config = DockerConfig.auto()
        .withEnvironment(DockerTestSupport.environment(
            Map.of("DOCKER_HOST", "unix://" + dir.resolve("dead.sock"))))
        .withDefaultSocket(socket);
    try (DockerRuntime runtime = DockerRuntime.create(config)) {
      RuntimeVersion version = runtime.ping();
      assertEquals("docker", version.engine());
      assertFalse(version.apiVersion().isBlank());
    }
  }

  @Test
  void dockerHostFromTheEnvironmentComesFirst() {
    String host = TestEngines.require("CODEB_TEST_DOCKER_HOST");
    ContainerRuntime runtime = ProviderRegistry.load(
        DockerTestSupport.environment(Map.of("DOCKER_HOST", host))).containerRuntime("docker://");
    try (runtime) {
      assertEquals("docker", runtime.info().id());
      assertEquals("docker", runtime.ping().engine());
    }
  }

  @Test
  void anExplicitHostThatIsDownIsUnavailableAndNamesIt() {
    Path dead = dir.resolve("down.sock");
    try (ContainerRuntime runtime = ProviderRegistry.load(DockerTestSupport.environment(Map.of()))
        .containerRuntime("docker+unix://" + dead)) {
      assertEquals("unix://" + dead, runtime.info().location());
      UnavailableException e = assertThrows(UnavailableException.class, runtime::ping);
      assertTrue(e.getMessage().contains("unix://" + dead), e.getMessage());
    }
    try (ContainerRuntime runtime = ProviderRegistry.load(DockerTestSupport.environment(Map.of()))
        .containerRuntime("docker+tcp://127.0.0.1:1")) {
      assertEquals("tcp://127.0.0.1:1", runtime.info().location());
      UnavailableException e = assertThrows(UnavailableException.class, runtime::ping);
      assertTrue(e.getMessage().contains("tcp://127.0.0.1:1"), e.getMessage());
    }
  }

  @Test
  void theFactoryReadsEveryFormWithoutIo() {
    DockerRuntimeFactory factory = new DockerRuntimeFactory();
    assertEquals(java.util.Set.of("docker", "docker+unix", "docker+tcp", "docker+ssh"), factory.schemes());
    assertTrue(DockerRuntimeFactory.toDockerConfig(config("docker:///")).host().isEmpty());
    assertEquals(URI.create("unix:///run/x.sock"),
        DockerRuntimeFactory.toDockerConfig(config("docker+unix:///run/x.sock")).host().orElseThrow());
    assertEquals(URI.create("tcp://127.0.0.1:2375"),
        DockerRuntimeFactory.toDockerConfig(config("docker+tcp://127.0.0.1")).host().orElseThrow());
    assertEquals(URI.create("tcp://10.0.0.5:2376"),
        DockerRuntimeFactory.toDockerConfig(config("docker+tcp://10.0.0.5:2376")).host().orElseThrow());
    assertEquals("ghcr.io", DockerRuntimeFactory.toDockerConfig(
        config("docker:///?registry=ghcr.io")).registryHost().orElseThrow());
    assertThrows(InvalidRequestException.class, () -> factory.create(config("docker://somehost")));
    assertThrows(InvalidRequestException.class, () -> factory.create(config("docker+unix://host/x")));
    assertThrows(InvalidRequestException.class, () -> factory.create(config("docker+tcp:///x")));
    // No engine is contacted: a dead socket still yields a runtime.
    factory.create(config("docker+unix:///nowhere/docker.sock")).close();
  }

  @Test
  void credentialsFollowTheDocumentedOrderAndNeverPrint() {
    ProviderConfig explicit = new ProviderConfig(URI.create("docker:///"),
        Map.of("registry-user", Secret.of("alice"), "registry-password", Secret.of("s3cret-pw")),
        DockerTestSupport.environment(Map.of("CODEB_DOCKER_REGISTRY_USER", "bob",
            "CODEB_DOCKER_REGISTRY_PASSWORD", "env-pw"))::apply);
    DockerConfig config = DockerRuntimeFactory.toDockerConfig(explicit);
    assertEquals("alice", config.registryUser().orElseThrow());
    assertEquals("s3cret-pw", config.registryPassword().orElseThrow().reveal());
    assertFalse(config.toString().contains("s3cret-pw"), config::toString);
    assertFalse(config.toString().contains("alice"), config::toString);

    ProviderConfig fromEnv = new ProviderConfig(URI.create("docker:///"), Map.of(),
        DockerTestSupport.environment(Map.of("CODEB_DOCKER_REGISTRY_USER", "bob",
            "CODEB_DOCKER_REGISTRY_PASSWORD", "env-pw"))::apply);
    assertEquals("bob", DockerRuntimeFactory.toDockerConfig(fromEnv).registryUser().orElseThrow());

    ProviderConfig half = new ProviderConfig(URI.create("docker:///"),
        Map.of("registry-user", Secret.of("alice")), DockerTestSupport.environment(Map.of())::apply);
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> DockerRuntimeFactory.toDockerConfig(half));
    assertFalse(e.getMessage().contains("alice"));
  }

  private static ProviderConfig config(String uri) {
    return new ProviderConfig(URI.create(uri), Map.of(),
        DockerTestSupport.environment(Map.of())::apply);
  }
}
