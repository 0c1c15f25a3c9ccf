package kr.codeb.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.fleet.Server;
import kr.codeb.fleet.SshEndpoint;
import kr.codeb.fleet.Topology;
import kr.codeb.model.IpAddress;
import kr.codeb.model.ProjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fleet parts of the config file: ssh:, projects: and the edge's engines. */
class ConfigFleetTest {
  @TempDir Path dir;

  private CliConfig load(String... lines) throws IOException {
    return ConfigLoader.load(Files.writeString(dir.resolve("fleet.yaml"),
        String.join("\n", lines) + "\n"));
  }

  private static final String[] FLEET = {
      "ssh: { user: deploy, port: 2222, key: keys/id, passphraseEnv: MY_PASS, knownHosts: ~/kh }",
      "servers:",
      "  - { name: app1, roles: [app], public: 1.2.3.4, private: 10.0.0.1, ssh: 10.0.0.1,",
      "      projects: [shop], engines: { runtime: 'docker://' } }",
      "  - { name: app2, roles: [app], public: 1.2.3.5, private: 10.0.0.2,",
      "      ssh: 'root@10.0.0.2:22', projects: [blog], engines: { runtime: 'podman://' } }",
      "  - { name: edge, roles: [edge], public: 1.2.3.6, private: 10.0.0.3,",
      "      ssh: { host: 10.0.0.3, user: ops, port: 2200 },",
      "      engines: { proxy: 'caddy+http://127.0.0.1:2019?listen=:443',",
      "        dns: 'powerdns+http://127.0.0.1:8081?server=localhost', dnsListen: '127.0.0.1:53',",
      "        dnsCache: 'powerdns-recursor+http://127.0.0.1:8082', dnsCacheListen: '127.0.0.1:5300' } }"};

  @Test
  void sshDefaultsApplyAndServersOverrideThem() throws IOException {
    Topology t = load(FLEET).topology();
    SshEndpoint app1 = t.require("app1").ssh().orElseThrow();
    assertEquals("deploy@10.0.0.1:2222", app1.address());
    assertEquals(Optional.of(dir.resolve("keys/id")), app1.privateKey());
    assertEquals(Optional.of("MY_PASS"), app1.passphraseVariable());
    assertEquals(Optional.of(Path.of(System.getProperty("user.home"), "kh")), app1.knownHosts());
    assertEquals("app1", app1.serverName());
    assertEquals("root@10.0.0.2:22", t.require("app2").ssh().orElseThrow().address());
    assertEquals("ops@10.0.0.3:2200", t.require("edge").ssh().orElseThrow().address());
  }

  @Test
  void eachProjectLivesOnTheAppServerThatListsIt() throws IOException {
    Topology t = load(FLEET).topology();
    assertEquals("app1", t.appServerOf("shop").name());
    assertEquals("app2", t.appServerOf("blog").name());
    NotFoundException e = assertThrows(NotFoundException.class, () -> t.appServerOf("other"));
    assertTrue(e.getMessage().contains("projects:"), e.getMessage());
  }

  @Test
  void aProjectListedOnTwoAppServersRunsOnBoth() throws IOException {
    Topology t = load("servers:",
        "  - { name: app1, roles: [app], public: 1.2.3.4, private: 10.0.0.1, projects: [shop] }",
        "  - { name: app2, roles: [app], public: 1.2.3.5, private: 10.0.0.2, projects: [shop,"
            + " blog] }").topology();
    assertEquals(List.of("app1", "app2"), t.appServersOf("shop").stream().map(Server::name)
        .toList());
    assertEquals(List.of("app2"), t.appServersOf("blog").stream().map(Server::name).toList());
    NotFoundException one = assertThrows(NotFoundException.class, () -> t.appServerOf("shop"));
    assertTrue(one.getMessage().contains("several app servers [app1, app2]"), one.getMessage());
    assertEquals(List.of(IpAddress.of("10.0.0.1"), IpAddress.of("10.0.0.2")),
        DbSetup.firewallSources(t, ProjectName.of("shop")),
        "the storage firewall opens from every app server the project runs on");
    assertEquals(List.of(IpAddress.of("10.0.0.2")),
        DbSetup.firewallSources(t, ProjectName.of("blog")));
  }

  @Test
  void ssotCheckReportsAPlacementOnAServerTheConfigDoesNotKnow() throws IOException {
    Topology t = load("servers:",
        "  - { name: app1, roles: [app], public: 1.2.3.4, private: 10.0.0.1, projects: [shop] }",
        "  - { name: app2, roles: [app], public: 1.2.3.5, private: 10.0.0.2, projects: [shop] }")
        .topology();
    kr.codeb.model.Environment prod = kr.codeb.model.Environment.of("production");
    kr.codeb.ports.Registry registry = kr.codeb.ports.Registry.of(
        java.util.Map.of(prod, new kr.codeb.ports.PortRange(4100, 4199)));
    kr.codeb.ports.ProjectEntry shop = kr.codeb.ports.ProjectEntry.of(ProjectName.of("shop"))
        .withPorts(prod, new kr.codeb.ports.SlotPorts(4100, 4101));
    assertEquals(List.of(), SsotCheckCommand.placementFindings(registry.withProject(
        shop.withPlacement(prod, List.of("app1", "app2"))), t));
    List<kr.codeb.ports.Finding> found = SsotCheckCommand.placementFindings(
        registry.withProject(shop.withPlacement(prod, List.of("app1", "app9"))), t);
    assertEquals(1, found.size(), found.toString());
    assertEquals("unknown-placement-server", found.get(0).kind().id());
    assertTrue(found.get(0).message().contains("app9"), found.get(0).message());
    assertEquals(List.of(), SsotCheckCommand.placementFindings(registry.withProject(
        shop.withPlacement(prod, List.of("app9"))), Topology.empty()),
        "without servers in the config nothing is compared");
  }

  @Test
  void theEdgeProxyGetsTheSrvSwitchFromItsEngines() throws IOException {
    Server edge = load(FLEET).topology().require("edge");
    String uri = URLDecoder.decode(FleetRouting.withSrvSwitch(edge).replace("+", "%2B"),
        StandardCharsets.UTF_8);
    assertTrue(uri.startsWith("caddy+http://127.0.0.1:2019?listen=:443&dns="), uri);
    assertTrue(uri.contains("dns=powerdns+http://127.0.0.1:8081?server=localhost"), uri);
    assertTrue(uri.contains("&dns_resolver=127.0.0.1:53"), uri);
    assertTrue(uri.contains("dns_cache=powerdns-recursor+http://127.0.0.1:8082"), uri);
    assertTrue(uri.contains("&dns_cache_resolver=127.0.0.1:5300"), uri);
  }

  @Test
  void aProxyUriThatChoosesItsSwitchIsKeptAsWritten() throws IOException {
    Server edge = load("servers:",
        "  - { name: edge, roles: [edge], public: 1.2.3.6, private: 10.0.0.3,",
        "      engines: { proxy: 'caddy+http://127.0.0.1:2019?switch=reload',",
        "        dns: 'powerdns+http://127.0.0.1:8081', dnsListen: '127.0.0.1:53' } }")
        .topology().require("edge");
    assertEquals("caddy+http://127.0.0.1:2019?switch=reload", FleetRouting.withSrvSwitch(edge));
    assertFalse(edge.ssh().isPresent());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "servers: [ { name: a, roles: [app], public: 1.2.3.4, private: 10.0.0.1, ssh: 10.0.0.1 } ]  | servers[0].ssh",
      "servers: [ { name: a, roles: [app], public: 1.2.3.4, private: 10.0.0.1, ssh: { host: h } } ]  | servers[0].ssh.user",
      "servers: [ { name: a, roles: [app], public: 1.2.3.4, private: 10.0.0.1, ssh: { user: r } } ]  | servers[0].ssh.host",
      "servers: [ { name: a, roles: [app], public: 1.2.3.4, private: 10.0.0.1, ssh: { user: r, host: h, port: 70000 } } ] | servers[0].ssh.port",
      "servers: [ { name: a, roles: [app], public: 1.2.3.4, private: 10.0.0.1, ssh: { user: r, host: h, pass: x } } ] | servers[0].ssh.pass",
      "ssh: { user: r, passphraseEnv: 'not a name' }                                               | not a name",
      "servers: [ { name: a, roles: [storage], public: 1.2.3.4, private: 10.0.0.1, projects: [shop] } ] | no app role",
      "servers: [ { name: a, roles: [app], public: 1.2.3.4, private: 10.0.0.1, projects: shop } ]  | servers[0].projects",
      "servers: [ { name: a, roles: [app], public: 1.2.3.4, private: 10.0.0.1, projects: [Shop!] } ] | servers[0]",
      "servers: [ { name: a, roles: [edge], public: 1.2.3.4, private: 10.0.0.1, engines: { dnsListen: 'localhost:53' } } ] | servers[0].engines.dnsListen",
      "servers: [ { name: a, roles: [edge], public: 1.2.3.4, private: 10.0.0.1, engines: { dnsListen: '127.0.0.1' } } ] | servers[0].engines.dnsListen",
  })
  void badFleetConfigsNameTheKey(String content, String key) throws IOException {
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> load(content));
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }
}
