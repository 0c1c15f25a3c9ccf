package kr.codeb.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import kr.codeb.AuthException;
import kr.codeb.ProviderRegistry;
import kr.codeb.fleet.ServerLink;
import kr.codeb.fleet.SshEndpoint;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.tck.ContainerStreamsContract;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container runtime contract against the test environment's dockerd reached over SSH: the
 * test sshd on 127.0.0.11 runs {@code docker system dial-stdio} for every connection.
 */
class DockerOverSshContractTest {

  static String sshUri() {
    return "docker+ssh://" + TestEngines.require("CODEB_TEST_SSH_USER") + "@"
        + TestEngines.require("CODEB_TEST_SSH_HOST") + ":"
        + TestEngines.require("CODEB_TEST_SSH_PORT");
  }

  static UnaryOperator<String> sshEnvironment(String knownHosts) {
    Map<String, String> env = Map.of(
        "CODEB_SSH_KEY", TestEngines.require("CODEB_TEST_SSH_KEY"),
        "CODEB_SSH_KNOWN_HOSTS", knownHosts);
    return name -> env.containsKey(name) ? env.get(name)
        : name.startsWith("DOCKER_") ? null : System.getenv(name);
  }

  /** {@code docker+ssh://user@host:port}: the runtime opens and owns its own SSH link. */
  @Nested
  class BySshUri extends ContainerStreamsContract {
    @Override
    protected ContainerRuntime newRuntime() {
      return ProviderRegistry.load(sshEnvironment(TestEngines.require("CODEB_TEST_SSH_KNOWN_HOSTS")))
          .containerRuntime(sshUri());
    }

    @Override
    protected String testImage() {
      return TestEngines.require("CODEB_TEST_IMAGE");
    }
  }

  @Test
  void infoNamesTheServerNotTheLocalBridgeSocket() {
    try (ContainerRuntime runtime = ProviderRegistry.load(
        sshEnvironment(TestEngines.require("CODEB_TEST_SSH_KNOWN_HOSTS"))).containerRuntime(sshUri())) {
      String where = runtime.info().location();
      assertTrue(where.startsWith("docker on "), where);
      assertTrue(where.contains(TestEngines.require("CODEB_TEST_SSH_HOST")), where);
      assertFalse(where.contains("codeb-bridge"), where);
      assertFalse(runtime.ping().version().isBlank());
    }
  }

  @Test
  void dockerUriOnALinkedServerIsThatServersEngine() {
    ProviderRegistry registry = ProviderRegistry.load(
        sshEnvironment(TestEngines.require("CODEB_TEST_SSH_KNOWN_HOSTS")));
    SshEndpoint endpoint = SshEndpoint.of(TestEngines.require("CODEB_TEST_SSH_USER"),
            TestEngines.require("CODEB_TEST_SSH_HOST"),
            Integer.parseInt(TestEngines.require("CODEB_TEST_SSH_PORT")))
        .withServerName("app1")
        .withPrivateKey(Path.of(TestEngines.require("CODEB_TEST_SSH_KEY")), java.util.Optional.empty())
        .withKnownHosts(Path.of(TestEngines.require("CODEB_TEST_SSH_KNOWN_HOSTS")));
    try (ServerLink link = registry.serverLink(endpoint);
        ContainerRuntime runtime = registry.on(link).containerRuntime("docker://")) {
      assertEquals("docker on app1 (" + endpoint.address() + ")", runtime.info().location());
      assertFalse(runtime.ping().version().isBlank());
    }
  }

  @Test
  void anUnknownHostKeyIsRefusedAndNamesTheTrustCommand(@TempDir Path dir) throws Exception {
    Path empty = Files.createFile(dir.resolve("known_hosts"));
    AuthException e = assertThrows(AuthException.class, () -> {
      try (ContainerRuntime runtime = ProviderRegistry.load(sshEnvironment(empty.toString()))
          .containerRuntime(sshUri())) {
        runtime.ping();
      }
    });
    assertTrue(e.getMessage().contains("SHA256:"), e.getMessage());
    assertTrue(e.getMessage().contains("we fleet trust"), e.getMessage());
  }
}
