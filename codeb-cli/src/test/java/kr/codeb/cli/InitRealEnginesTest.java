package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import kr.codeb.ProviderRegistry;
import kr.codeb.env.EnvFile;
import kr.codeb.firewall.FirewallProvider;
import kr.codeb.model.DnsName;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code we init} on the loopback fleet ({@link LoopbackFleet}): the SSOT file, Postgres and
 * Redis on the storage server's dockerd over SSH, the env file on app1 over SSH, the firewall
 * group (the {@code mem:} stand-in the CLI reaches by URI), the real PowerDNS, and a Caddy
 * server of its own on the test environment's HTTPS port with the internal issuer. A fresh
 * project gets everything, a second run changes nothing, destroy puts every system back except
 * the kept data.
 */
class InitRealEnginesTest {
  static final String ENV = "production";
  static final String GROUP = "db-servers";
  static final String EDGE = "203.0.113.77";

  @TempDir Path dir;
  Path ssot;
  Path config;
  Path envDir;
  Path repo;
  String run;
  String project;
  String domain;
  String firewallName;
  String caddyServer;

  @BeforeEach
  void fleet() throws IOException {
    run = String.format("%06x", ThreadLocalRandom.current().nextInt(0x1000000));
    project = "in-" + run;
    domain = "init" + run + ".kr";
    firewallName = "inittest-" + run;
    caddyServer = "codeb-init-" + run;
    int storageStart = 51000 + ThreadLocalRandom.current().nextInt(900) * 10;
    int appStart = RealDeployHarness.freeBlockFrom(47800);
    ssot = WeRunner.write(dir.resolve("ssot.json"), ("{\"version\":\"7.0.0\",\"portRanges\":{\""
        + ENV + "\":{\"start\":" + appStart + ",\"end\":" + (appStart + 19) + "},\"storage\":"
        + "{\"start\":" + storageStart + ",\"end\":" + (storageStart + 9) + "}},"
        + "\"projects\":{},\"ports\":{\"allocated\":{}}}\n").getBytes(StandardCharsets.UTF_8));
    envDir = Files.createDirectories(dir.resolve("env"));
    repo = Files.createDirectories(dir.resolve("repo"));
    config = dir.resolve("fleet.yaml");
    Files.writeString(config, LoopbackFleet.yaml(ssot.toString(), envDir.toString(), GROUP));
  }

  String proxyUri() {
    return "caddy+" + TestEngines.require("CODEB_TEST_CADDY_ADMIN") + "?listen=127.0.0.1:"
        + TestEngines.require("CODEB_TEST_CADDY_HTTPS_PORT").strip() + "&server=" + caddyServer
        + "&tls=internal";
  }

  String dnsUri() {
    return "powerdns+" + TestEngines.require("CODEB_TEST_PDNS_API") + "?server=localhost";
  }

  WeRunner.Result we(String... args) {
    List<String> all = new ArrayList<>(List.of("--config", config.toString(), "--proxy",
        proxyUri(), "--dns", dnsUri()));
    all.addAll(List.of(args));
    Map<String, String> env = new HashMap<>();
    env.put("CODEB_FIREWALL", "mem:" + firewallName + "?groups=" + GROUP);
    env.put("CODEB_DB_DIR", dir.resolve("storage").toString());
    env.put("CODEB_POWERDNS_API_KEY", TestEngines.require("CODEB_TEST_PDNS_API_KEY"));
    return WeRunner.run(env, all.toArray(String[]::new));
  }

  WeRunner.Result init(String... more) {
    List<String> all = new ArrayList<>(List.of("init", project, "--domain", domain,
        "--with", "postgres,redis", "--db-version", "15", "--db-image", LoopbackFleet.dbImage(),
        "--repo", repo.toString(), "--ip", EDGE, "--tls-check", "127.0.0.1:"
            + TestEngines.require("CODEB_TEST_CADDY_HTTPS_PORT").strip(),
        "--tls-timeout", "30s"));
    all.addAll(List.of(more));
    return we(all.toArray(String[]::new));
  }

  static ContainerRuntime storage() {
    return ProviderRegistry.load(name -> null)
        .containerRuntime("docker+" + TestEngines.require("CODEB_TEST_STORAGE_DOCKER_HOST"));
  }

  int rules() {
    try (FirewallProvider f = ProviderRegistry.load(name -> null)
        .firewallProvider("mem:" + firewallName + "?groups=" + GROUP)) {
      return f.rules(GROUP).size();
    }
  }

  boolean zoneExists() {
    try (var d = ProviderRegistry.load(Map.of("CODEB_POWERDNS_API_KEY",
        TestEngines.require("CODEB_TEST_PDNS_API_KEY"))::get).dnsProvider(dnsUri())) {
      return d.zones().stream().anyMatch(z -> z.name().equals(DnsName.of(domain)));
    }
  }

  @AfterEach
  void cleanUp() {
    try (ContainerRuntime s = storage()) {
      for (String kind : List.of("postgres", "redis")) {
        s.remove(new ContainerId(project + "-" + ENV + "-" + kind));
        s.removeVolume(project + "-" + ENV + "-" + kind + "-data");
      }
    }
    try (var d = ProviderRegistry.load(Map.of("CODEB_POWERDNS_API_KEY",
        TestEngines.require("CODEB_TEST_PDNS_API_KEY"))::get).dnsProvider(dnsUri())) {
      d.deleteZone(DnsName.of(domain));
    }
    adminDelete("/config/apps/http/servers/" + caddyServer);
    adminDelete("/id/codeb-tls-" + caddyServer);
  }

  @Test
  void freshProjectThenNothingToDoThenDestroyPutsEverythingBack() throws Exception {
    long start = System.nanoTime();
    JsonNode first = init("--json").expect(0).json();
    long initMillis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(first.get("changed").asBoolean(), first.toString());
    for (int i = 0; i < 7; i++) {
      JsonNode step = first.get("steps").get(i);
      assertEquals("create", step.get("action").asText(), step.toString());
    }
    // Caddy's internal issuer is quick: the certificate may be there by the time TLS is planned.
    assertTrue(List.of("create", "unchanged").contains(first.get("steps").get(7).get("action")
        .asText()), first.get("steps").get(7).toString());
    String tls = first.get("steps").get(7).get("details").get(0).asText();
    assertTrue(tls.contains("certificate for " + domain + " from") && tls.contains("Caddy"),
        tls);
    assertFalse(first.toString().contains("postgresql://"), "no secret in the output");

    try (ContainerRuntime s = storage()) {
      assertTrue(s.inspect(new ContainerId(project + "-" + ENV + "-postgres")).orElseThrow()
          .isRunning());
      assertTrue(s.inspect(new ContainerId(project + "-" + ENV + "-redis")).orElseThrow()
          .isRunning());
    }
    Path envFile = envDir.resolve(project + "-" + ENV + ".env");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
        envFile)));
    EnvFile env = EnvFile.parse(Files.readAllBytes(envFile));
    assertTrue(env.get("DATABASE_URL").orElseThrow().startsWith("postgresql://"));
    assertTrue(env.get("REDIS_URL").orElseThrow().startsWith("redis://"));
    assertEquals(2, rules());
    assertTrue(zoneExists());
    try (ReverseProxy p = ProviderRegistry.load(name -> null).reverseProxy(proxyUri())) {
      assertEquals(List.of(domain), p.route(project + "-" + ENV).orElseThrow().hosts());
    }
    assertTrue(Files.isRegularFile(repo.resolve(".github/workflows/" + project + "-" + ENV
        + ".yml")));

    WeRunner.Result second = init().expect(0);
    assertTrue(second.out().contains(project + " " + ENV + ": nothing to do"), second.out());
    start = System.nanoTime();
    JsonNode plan = init("--plan", "--json").expect(0).json();
    long planMillis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(0, plan.get("changes").asInt(), plan.toString());
    System.out.println("we init (fresh, postgres+redis, loopback fleet, in-process): "
        + initMillis + " ms; we init --plan (nothing to do): " + planMillis + " ms");
    assertEquals(2, rules(), "no duplicate rule");

    WeRunner.Result destroyed = we("destroy", project, "--env", ENV, "--yes").expect(0);
    assertTrue(destroyed.out().contains("destroyed"), destroyed.out());
    try (ContainerRuntime s = storage()) {
      assertTrue(s.inspect(new ContainerId(project + "-" + ENV + "-postgres")).isEmpty());
      assertTrue(s.inspect(new ContainerId(project + "-" + ENV + "-redis")).isEmpty());
    }
    assertTrue(Files.exists(dir.resolve("storage/secrets")), "credentials kept");
    assertFalse(Files.exists(envFile));
    assertEquals(0, rules());
    assertFalse(zoneExists());
    try (ReverseProxy p = ProviderRegistry.load(name -> null).reverseProxy(proxyUri())) {
      assertTrue(p.route(project + "-" + ENV).isEmpty());
    }
    assertFalse(WeRunner.tree(ssot).get("projects").has(project), WeRunner.tree(ssot)
        .toString());
    assertTrue(Files.exists(dir.resolve("init/" + project + "-" + ENV + ".json")),
        "the journal remembers the kept data");
    we("destroy", project, "--env", ENV, "--yes", "--delete-data").expect(0);
    assertFalse(Files.exists(dir.resolve("init/" + project + "-" + ENV + ".json")));
  }

  private static void adminDelete(String path) {
    try {
      HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
          TestEngines.require("CODEB_TEST_CADDY_ADMIN") + path)).DELETE().build(),
          HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      System.err.println("cleanup failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
