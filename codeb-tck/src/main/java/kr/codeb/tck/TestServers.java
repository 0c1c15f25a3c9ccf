package kr.codeb.tck;

import java.nio.file.Path;
import java.util.Optional;
import kr.codeb.fleet.SshEndpoint;

/**
 * The test environment's SSH "servers": sshd-a on 127.0.0.11 and sshd-b on 127.0.0.12, each
 * with its own host key, logging in as the test user with the test key and checking host keys
 * against the test known_hosts file ({@code scripts/test-env.sh} writes all of them).
 */
public final class TestServers {
  private TestServers() {}

  /** sshd-a, named {@code name}. */
  public static SshEndpoint a(String name) {
    return endpoint(name, "CODEB_TEST_SSH_HOST", "CODEB_TEST_SSH_PORT_A");
  }

  /** sshd-b, named {@code name}. */
  public static SshEndpoint b(String name) {
    return endpoint(name, "CODEB_TEST_SSH_HOST_B", "CODEB_TEST_SSH_PORT_B");
  }

  private static SshEndpoint endpoint(String name, String hostVariable, String portVariable) {
    return new SshEndpoint(name, TestEngines.require("CODEB_TEST_SSH_USER"),
        TestEngines.require(hostVariable),
        Integer.parseInt(TestEngines.require(portVariable)),
        Optional.of(Path.of(TestEngines.require("CODEB_TEST_SSH_KEY"))), Optional.empty(),
        Optional.of(Path.of(TestEngines.require("CODEB_TEST_SSH_KNOWN_HOSTS"))));
  }
}
