package kr.codeb.cli;

import kr.codeb.tck.TestEngines;

/**
 * The test environment's two-server fleet as a config file: app1 (SSH at 127.0.0.11, the main
 * dockerd) and db1, the storage server (SSH at 127.0.0.13, the second dockerd in its own network
 * namespace, private address {@code CODEB_TEST_STORAGE_PRIVATE_ADDRESS}) with a firewall group.
 */
final class LoopbackFleet {
  private LoopbackFleet() {}

  /** The config file's text: the SSOT, the env folder and the two servers. */
  static String yaml(String ssot, String envDir, String firewallGroup) {
    return "ssot: " + ssot + "\n"
        + "envDir: " + envDir + "\n"
        + "ssh:\n"
        + "  user: " + TestEngines.require("CODEB_TEST_SSH_USER") + "\n"
        + "  key: " + TestEngines.require("CODEB_TEST_SSH_KEY") + "\n"
        + "  knownHosts: " + TestEngines.require("CODEB_TEST_SSH_KNOWN_HOSTS") + "\n"
        + "servers:\n"
        + "  - name: app1\n"
        + "    roles: [app]\n"
        + "    public: 127.0.0.11\n"
        + "    private: 127.0.0.11\n"
        + "    publish: 127.0.0.11\n"
        + "    ssh: 127.0.0.11:" + TestEngines.require("CODEB_TEST_SSH_PORT_A") + "\n"
        + "    engines:\n"
        + "      runtime: docker+" + TestEngines.require("CODEB_TEST_DOCKER_HOST") + "\n"
        + "  - name: db1\n"
        + "    roles: [storage]\n"
        + "    public: 127.0.0.13\n"
        + "    private: " + storagePrivateAddress() + "\n"
        + "    firewallGroup: " + firewallGroup + "\n"
        + "    ssh: 127.0.0.13:" + TestEngines.require("CODEB_TEST_SSH_PORT_C") + "\n"
        + "    engines:\n"
        + "      runtime: docker+" + TestEngines.require("CODEB_TEST_STORAGE_DOCKER_HOST") + "\n";
  }

  static String storagePrivateAddress() {
    return TestEngines.require("CODEB_TEST_STORAGE_PRIVATE_ADDRESS").strip();
  }

  /** The database image of the test environment (no registry is reachable). */
  static String dbImage() {
    return TestEngines.require("CODEB_TEST_DB_IMAGE").strip();
  }
}
