package kr.codeb.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kr.codeb.InvalidRequestException;
import kr.codeb.fleet.Role;
import kr.codeb.fleet.Server;
import kr.codeb.fleet.Topology;
import kr.codeb.model.IpAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  @TempDir Path dir;

  private Path yaml(String... lines) throws IOException {
    return Files.writeString(dir.resolve("we.yaml"), String.join("\n", lines) + "\n");
  }

  @Test
  void theFullExampleParsesIntoATopology() throws IOException {
    Path file = yaml(
        "ssot: /opt/codeb/registry/ssot.json",
        "providers:",
        "  runtime: docker://",
        "  proxy: caddy+http://127.0.0.1:2019",
        "  dns: powerdns+http://127.0.0.1:8081?server=localhost",
        "  firewall: vultr://",
        "servers:",
        "  - name: app1",
        "    roles: [app]",
        "    public: 203.0.113.10",
        "    private: 10.0.0.10",
        "    firewallGroup: 3f1c9a",
        "    engines: { runtime: \"docker+ssh://root@10.0.0.10\" }",
        "  - name: edge",
        "    roles: [edge, storage]",
        "    public: 2001:db8:0:0::1",
        "    private: 10.0.0.2",
        "    publish: 10.0.0.2");
    CliConfig c = ConfigLoader.load(file);
    assertEquals(Optional.of(file), c.source());
    assertEquals(Optional.of("/opt/codeb/registry/ssot.json"), c.ssot());
    assertEquals("docker://", c.providers().get("runtime"));
    assertEquals("powerdns+http://127.0.0.1:8081?server=localhost", c.providers().get("dns"));
    assertEquals(Optional.of("vultr://"), c.provider("firewall"));
    Topology t = c.topology();
    Server app1 = t.require("app1");
    assertEquals(Set.of(Role.APP), app1.roles());
    assertEquals(IpAddress.of("203.0.113.10"), app1.publicAddress());
    assertEquals(IpAddress.of("10.0.0.10"), app1.privateAddress());
    assertEquals(Server.LOOPBACK, app1.publishAddress());
    assertEquals(Optional.of("3f1c9a"), app1.firewallGroup());
    assertEquals(Optional.of(URI.create("docker+ssh://root@10.0.0.10")), app1.engine("runtime"));
    Server edge = t.require("edge");
    assertEquals(Set.of(Role.EDGE, Role.STORAGE), edge.roles());
    assertEquals("2001:db8::1", edge.publicAddress().value());
    assertEquals(IpAddress.of("10.0.0.2"), edge.publishAddress());
    assertEquals(Optional.of(edge), t.single(Role.EDGE));
  }

  @Test
  void anEmptyFileIsAnEmptyConfig() throws IOException {
    CliConfig c = ConfigLoader.load(yaml(""));
    assertTrue(c.topology().servers().isEmpty());
    assertTrue(c.ssot().isEmpty());
    assertTrue(c.providers().isEmpty());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ssots: /x                                          | ssots",
      "providers: { ssh: ssh://x }                         | providers.ssh",
      "providers: { runtime: 'docker://root:hunter2@h' }   | providers.runtime",
      "providers: { runtime: 'no scheme' }                 | providers.runtime",
      "servers: {}                                         | servers",
      "servers: [ { name: a, roles: [db], public: 1.2.3.4, private: 10.0.0.1 } ]  | servers[0].roles[0]",
      "servers: [ { name: a, roles: [], public: 1.2.3.4, private: 10.0.0.1 } ]    | servers[0]",
      "servers: [ { name: a, roles: [app], public: 1.2.3.400, private: 10.0.0.1 } ] | servers[0].public",
      "servers: [ { name: a, roles: [app], public: example.com, private: 10.0.0.1 } ] | servers[0].public",
      "servers: [ { name: a, roles: [app], public: 1.2.3.4 } ]                    | servers[0].private",
      "servers: [ { name: a, roles: [app], public: 1.2.3.4, private: 10.0.0.1, color: red } ] | servers[0].color",
      "servers: [ { name: A!, roles: [app], public: 1.2.3.4, private: 10.0.0.1 } ] | servers[0]",
      "servers: [ { name: a, roles: [app], public: 1.2.3.4, private: 10.0.0.1, engines: { runtime: 'docker+ssh://root:pw@h' } } ] | servers[0].engines.runtime",
      "servers: [ { name: a, roles: [app], public: 1.2.3.4, private: 10.0.0.1 }, { name: a, roles: [app], public: 1.2.3.5, private: 10.0.0.2 } ] | servers",
      "'ssot: [unclosed'                                   | not valid YAML",
  })
  void badConfigsNameTheFileAndTheKey(String content, String key) throws IOException {
    Path file = yaml(content);
    InvalidRequestException e =
        assertThrows(InvalidRequestException.class, () -> ConfigLoader.load(file));
    assertTrue(e.getMessage().startsWith("config file " + file), e.getMessage());
    assertTrue(e.getMessage().contains(key), e.getMessage());
    assertTrue(!e.getMessage().contains("hunter2") && !e.getMessage().contains(":pw@"),
        "never echo a secret: " + e.getMessage());
  }

  @Test
  void providerUrisResolveFlagThenVariableThenConfig() throws IOException {
    CliConfig c = ConfigLoader.load(yaml("providers: { runtime: docker://, dns: 'powerdns+http://127.0.0.1:8081' }"));
    GlobalOptions flags = new GlobalOptions();
    flags.runtime = "podman://";
    Map<String, String> env = Map.of("CODEB_RUNTIME", "docker+unix:///run/docker.sock",
        "CODEB_DNS", "powerdns+http://10.0.0.2:8081", "CODEB_PROXY", " ");
    ProviderUris uris = ProviderUris.resolve(flags, env::get, c);
    assertEquals(Optional.of("podman://"), uris.runtime());
    assertEquals(Optional.of("powerdns+http://10.0.0.2:8081"), uris.dns());
    assertEquals(Optional.empty(), uris.proxy(), "a blank variable counts as unset");
    assertEquals(Optional.empty(), uris.firewall());
    assertEquals(ProviderUris.DEFAULT_SSOT, uris.ssot());
    assertEquals(Optional.of("docker://"),
        ProviderUris.resolve(new GlobalOptions(), Map.<String, String>of()::get, c).runtime());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ssot: /a.json NL---NLssot: /b.json | more than one YAML document (line 3",
      "ssot: /a.json NL---NLproviders: {} | more than one YAML document",
      "!!java.lang.Runtime {} | uses a YAML tag (line 1",
      "ssot: !!java.net.URL [ 'http://127.0.0.1/' ] | uses a YAML tag",
      "servers: [ { name: a, roles: !custom [app], public: 1.2.3.4, private: 10.0.0.1 } ] | uses a YAML tag",
      "servers: [ { name: a, roles: app, public: 1.2.3.4, private: 10.0.0.1 } ] | servers[0].roles: must be a list of roles such as [app]",
  })
  void documentsTagsAndScalarRolesAreRefused(String content, String problem) throws IOException {
    Path file = Files.writeString(dir.resolve("we.yaml"), content.replace("NL", "\n") + "\n");
    InvalidRequestException e =
        assertThrows(InvalidRequestException.class, () -> ConfigLoader.load(file));
    assertTrue(e.getMessage().contains(problem), e.getMessage());
    assertTrue(!e.getMessage().contains("java.lang") && !e.getMessage().contains("Exception"),
        e.getMessage());
  }

  @Test
  void onlyARegularFileOfBoundedSizeIsRead() throws Exception {
    Path fifo = dir.resolve("fifo.yaml");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0);
    Path zero = Files.createSymbolicLink(dir.resolve("zero.yaml"), Path.of("/dev/zero"));
    Path big = dir.resolve("big.yaml");
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(ConfigLoader.MAX_BYTES + 1);
    }
    for (Path file : new Path[] {fifo, zero, big, dir}) {
      InvalidRequestException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
          java.time.Duration.ofSeconds(10),
          () -> assertThrows(InvalidRequestException.class, () -> ConfigLoader.load(file)));
      assertTrue(e.getMessage().startsWith("config file " + file), e.getMessage());
    }
  }

  @Test
  void yamlSyntaxErrorsDoNotQuoteTheFile() throws IOException {
    Path file = yaml("ssot: \"sk_live_abc123", "providers: [");
    InvalidRequestException e =
        assertThrows(InvalidRequestException.class, () -> ConfigLoader.load(file));
    assertTrue(e.getMessage().contains("not valid YAML (line"), e.getMessage());
    assertTrue(!e.getMessage().contains("sk_live"), e.getMessage());
  }
}
