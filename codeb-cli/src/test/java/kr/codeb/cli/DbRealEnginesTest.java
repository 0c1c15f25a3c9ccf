package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import kr.codeb.ProviderRegistry;
import kr.codeb.env.EnvFile;
import kr.codeb.firewall.FirewallProvider;
import kr.codeb.firewall.FirewallRule;
import kr.codeb.fleet.ServerLink;
import kr.codeb.fleet.SshEndpoint;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * {@code we db} against real engines: the app server (127.0.0.11, the main dockerd) and the
 * storage server (SSH at 127.0.0.13, the second dockerd in its own network namespace, private
 * address 10.77.0.2 on the test environment's veth). Every check of a database goes through an
 * SSH tunnel to the storage server with the credentials from the project's env file.
 */
class DbRealEnginesTest {
  static final String ENV = "production";
  static final String GROUP = "db-servers";

  @TempDir Path dir;
  Path ssot;
  Path config;
  Path envDir;
  String project;
  String other;
  String firewallName;
  int storageStart;
  final List<String> outputs = new ArrayList<>();

  @BeforeEach
  void fleet() throws IOException {
    String suffix = String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    project = "db-" + suffix;
    other = "dbo-" + suffix;
    firewallName = "dbtest-" + suffix;
    storageStart = 50000 + ThreadLocalRandom.current().nextInt(900) * 10;
    int appStart = RealDeployHarness.freeBlockFrom(47600);
    ssot = WeRunner.write(dir.resolve("ssot.json"), ("{\"version\":\"7.0.0\",\"portRanges\":{\""
        + ENV + "\":{\"start\":" + appStart + ",\"end\":" + (appStart + 19) + "}},"
        + "\"projects\":{},\"ports\":{\"allocated\":{}}}\n").getBytes(StandardCharsets.UTF_8));
    envDir = Files.createDirectories(dir.resolve("env"));
    String yaml = LoopbackFleet.yaml(ssot.toString(), envDir.toString(), GROUP);
    config = dir.resolve("fleet.yaml");
    Files.writeString(config, yaml);
  }

  static String privateAddress() {
    return LoopbackFleet.storagePrivateAddress();
  }

  static String image() {
    return LoopbackFleet.dbImage();
  }

  WeRunner.Result we(String... args) {
    return we(Map.of(), args);
  }

  WeRunner.Result we(Map<String, String> extra, String... args) {
    List<String> all = new ArrayList<>(List.of("--config", config.toString()));
    all.addAll(List.of(args));
    Map<String, String> env = new HashMap<>();
    env.put("CODEB_FIREWALL", "mem:" + firewallName + "?groups=" + GROUP);
    env.put("CODEB_DB_DIR", dir.resolve("storage").toString());
    env.putAll(extra);
    WeRunner.Result r = WeRunner.run(env, all.toArray(String[]::new));
    outputs.add(r.out());
    outputs.add(r.err());
    return r;
  }

  WeRunner.Result create(String name, String kind) {
    return we("db", "create", name, "--env", ENV, "--kind", kind, "--version", "15",
        "--image", image(), "--json");
  }

  static ContainerRuntime engine(String variable) {
    return ProviderRegistry.load(name -> null)
        .containerRuntime("docker+" + TestEngines.require(variable));
  }

  ServerLink storageLink() {
    SshEndpoint endpoint = SshEndpoint.of(TestEngines.require("CODEB_TEST_SSH_USER"),
        "127.0.0.13", Integer.parseInt(TestEngines.require("CODEB_TEST_SSH_PORT_C").strip()))
        .withPrivateKey(Path.of(TestEngines.require("CODEB_TEST_SSH_KEY")), java.util.Optional.empty())
        .withKnownHosts(Path.of(TestEngines.require("CODEB_TEST_SSH_KNOWN_HOSTS")));
    return ProviderRegistry.load(name -> null).serverLink(endpoint);
  }

  String envValue(String name, String key) throws IOException {
    EnvFile file = EnvFile.parse(Files.readAllBytes(envDir.resolve(name + "-" + ENV + ".env")));
    return file.get(key).orElseThrow(() -> new AssertionError("no " + key + " in the env file"));
  }

  List<FirewallRule> rules() {
    try (FirewallProvider f = ProviderRegistry.load(name -> null)
        .firewallProvider("mem:" + firewallName + "?groups=" + GROUP)) {
      return f.rules(GROUP);
    }
  }

  /** A JDBC connection through the tunnel, with the URL's user and the given password. */
  static Connection jdbc(ServerLink.Forward tunnel, URI url, String password) throws SQLException {
    String user = url.getUserInfo().substring(0, url.getUserInfo().indexOf(':'));
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + tunnel.localPort()
        + url.getPath(), user, password);
  }

  static String password(URI url) {
    return url.getUserInfo().substring(url.getUserInfo().indexOf(':') + 1);
  }

  static String proxyUri() {
    return "caddy+http://" + TestEngines.require("CODEB_TEST_CADDY_ADMIN")
        .replaceFirst("^http://", "") + "?listen=127.0.0.1:"
        + TestEngines.require("CODEB_TEST_CADDY_HTTP_PORT").strip() + "&auto_https=off";
  }

  @AfterEach
  void cleanUp() {
    try (ContainerRuntime app = engine("CODEB_TEST_DOCKER_HOST")) {
      app.list(Map.of("codeb.project", project)).forEach(c -> app.remove(c.id()));
    }
    try (kr.codeb.proxy.ReverseProxy proxy = ProviderRegistry.load(name -> null)
        .reverseProxy(proxyUri())) {
      proxy.remove(project + "-" + ENV);
    }
    try (ContainerRuntime storage = engine("CODEB_TEST_STORAGE_DOCKER_HOST")) {
      for (String name : List.of(project, other)) {
        for (ContainerInfo c : storage.list(Map.of("codeb.project", name))) {
          storage.remove(c.id());
        }
        for (String kind : List.of("postgres", "redis")) {
          storage.removeVolume(name + "-" + ENV + "-" + kind + "-data");
        }
      }
    }
  }

  @Test
  void badInputExitsTwoAndCreatesNothing() throws Exception {
    byte[] before = WeRunner.bytes(ssot);
    we("ssot", "allocate", project, "--env", ENV).expect(0);
    byte[] allocated = WeRunner.bytes(ssot);
    // no storage range yet: refused, saying how to add one
    WeRunner.Result noRange = create(project, "postgres").expect(2);
    assertTrue(noRange.err().contains("we ssot range set storage"), noRange.err());
    we("ssot", "range", "set", "storage", storageStart + "-" + (storageStart + 9)).expect(0);
    byte[] ranged = WeRunner.bytes(ssot);
    assertTrue(create(project, "mysql").expect(2).err().contains("allowed are postgres, redis"));
    assertTrue(create("nope-" + project, "postgres").expect(2).err().contains("not in the SSOT"));
    we("db", "create", project, "--env", ENV, "--kind", "postgres", "--image", "Bad Image")
        .expect(2);
    we("db", "remove", project, "--env", ENV, "--kind", "postgres").expect(2); // no --yes, no tty
    assertEquals(new String(ranged, StandardCharsets.UTF_8),
        new String(WeRunner.bytes(ssot), StandardCharsets.UTF_8), "nothing written");
    assertFalse(java.util.Arrays.equals(before, allocated));
    try (ContainerRuntime storage = engine("CODEB_TEST_STORAGE_DOCKER_HOST")) {
      assertEquals(List.of(), storage.list(Map.of("codeb.project", project)));
    }
    assertFalse(Files.exists(envDir.resolve(project + "-" + ENV + ".env")));
    assertFalse(Files.exists(dir.resolve("storage")));
  }

  @Test
  void postgresCreateConnectBackupRestoreRotateAndRemove() throws Exception {
    we("ssot", "allocate", project, "--env", ENV).expect(0);
    we("ssot", "allocate", other, "--env", ENV).expect(0);
    we("ssot", "range", "set", "storage", storageStart + "-" + (storageStart + 9)).expect(0);

    JsonNode first = create(project, "postgres").expect(0).json();
    assertEquals("created", first.get("outcome").asText(), first.toString());
    assertFalse(first.has("url"), "no secret without --show-secrets");
    int port = first.get("port").asInt();
    assertEquals(storageStart, port);
    assertEquals(port, WeRunner.tree(ssot).at("/projects/" + project + "/services/" + ENV
        + "/postgres/port").asInt(), "the port is recorded in the project's SSOT entry");
    URI url = URI.create(envValue(project, "DATABASE_URL"));
    assertEquals(privateAddress(), url.getHost());
    assertEquals(port, url.getPort());
    String password = password(url);
    assertTrue(password.length() >= 32);

    // on the storage engine, not the app engine
    try (ContainerRuntime storage = engine("CODEB_TEST_STORAGE_DOCKER_HOST");
        ContainerRuntime app = engine("CODEB_TEST_DOCKER_HOST")) {
      assertTrue(storage.inspect(new ContainerId(project + "-" + ENV + "-postgres"))
          .orElseThrow().isRunning());
      assertEquals(List.of(), app.list(Map.of("codeb.project", project)));
    }

    // a second run changes nothing; the firewall rule exists exactly once
    WeRunner.Result again = we("db", "create", project, "--env", ENV, "--kind", "postgres",
        "--version", "15", "--image", image());
    again.expect(0);
    assertTrue(again.out().contains(": unchanged"), again.out());
    List<FirewallRule> rules = rules().stream()
        .filter(r -> r.ports().orElseThrow().start() == port).toList();
    assertEquals(1, rules.size(), rules.toString());
    assertEquals("127.0.0.11", rules.get(0).subnet().value());
    assertEquals(32, rules.get(0).prefix());

    String[] rotatedPassword = new String[1];
    try (ServerLink link = storageLink()) {
      ServerLink.Forward tunnel = link.forward(privateAddress(), port);
      try (Connection c = jdbc(tunnel, url, password); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE items (id int primary key, name text)");
        s.execute("INSERT INTO items VALUES (1, 'one'), (2, 'two'), (3, 'three')");
      }
      SQLException refused = assertThrows(SQLException.class,
          () -> jdbc(tunnel, url, password + "x").close());
      assertEquals("28P01", refused.getSQLState(), refused.getMessage());

      // another project: its own container, user and password; neither reads the other
      JsonNode second = create(other, "postgres").expect(0).json();
      URI otherUrl = URI.create(envValue(other, "DATABASE_URL"));
      ServerLink.Forward otherTunnel = link.forward(privateAddress(), second.get("port").asInt());
      assertThrows(SQLException.class, () -> jdbc(otherTunnel, url, password).close());
      assertThrows(SQLException.class, () -> DriverManager.getConnection("jdbc:postgresql://"
          + "127.0.0.1:" + tunnel.localPort() + url.getPath(), otherUrl.getUserInfo()
          .substring(0, otherUrl.getUserInfo().indexOf(':')), password(otherUrl)).close());
      try (Connection c = jdbc(otherTunnel, otherUrl, password(otherUrl));
          Statement s = c.createStatement()) {
        assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM items"));
      }

      // backup, drop the table, restore: the rows are back
      JsonNode backup = we("db", "backup", project, "--env", ENV, "--json").expect(0).json();
      String id = backup.get("backups").get(0).get("id").asText();
      assertTrue(id.startsWith("postgres-"), id);
      try (Connection c = jdbc(tunnel, url, password); Statement s = c.createStatement()) {
        s.execute("DROP TABLE items");
      }
      we("db", "restore", project, "--env", ENV, "--from", id).expect(0);
      assertEquals(3, count(tunnel, url, password));

      // the data survives a container replacement
      try (ContainerRuntime storage = engine("CODEB_TEST_STORAGE_DOCKER_HOST")) {
        storage.remove(new ContainerId(project + "-" + ENV + "-postgres"));
      }
      assertEquals("updated", create(project, "postgres").expect(0).json().get("outcome")
          .asText());
      assertEquals(3, count(tunnel, url, password));

      // rotate: the new password works, the old one does not, the env file has the new one
      we("db", "rotate-password", project, "--env", ENV, "--kind", "postgres").expect(0);
      URI rotated = URI.create(envValue(project, "DATABASE_URL"));
      rotatedPassword[0] = password(rotated);
      assertFalse(password(rotated).equals(password));
      assertEquals(3, count(tunnel, rotated, password(rotated)));
      assertEquals("28P01", assertThrows(SQLException.class,
          () -> jdbc(tunnel, url, password).close()).getSQLState());
    }

    JsonNode list = we("db", "list", "--json").expect(0).json().get("databases");
    int ours = 0;
    for (JsonNode d : list) {
      if (d.get("project").asText().equals(project) || d.get("project").asText().equals(other)) {
        ours++;
        assertEquals("running", d.get("state").asText(), d.toString());
        assertTrue(d.get("sizeBytes").asLong() > 1_000_000, d.toString());
      }
    }
    assertEquals(2, ours, list.toString());

    // remove: container, firewall rule and port go; the volume stays until --delete-data
    we("db", "remove", project, "--env", ENV, "--kind", "postgres", "--yes").expect(0);
    assertTrue(rules().stream().noneMatch(r -> r.ports().orElseThrow().start() == port));
    assertTrue(WeRunner.tree(ssot).at("/projects/" + project + "/services").isMissingNode());
    try (ContainerRuntime storage = engine("CODEB_TEST_STORAGE_DOCKER_HOST")) {
      assertTrue(storage.inspect(new ContainerId(project + "-" + ENV + "-postgres")).isEmpty());
      assertTrue(storage.removeVolume(project + "-" + ENV + "-postgres-data"),
          "the volume was kept by remove without --delete-data");
    }
    List<String> secrets = List.of(password, rotatedPassword[0],
        password(URI.create(envValue(other, "DATABASE_URL"))));
    assertSecretsNeverPrinted(secrets);
    assertAudited(port, secrets);
  }

  /**
   * The audit log beside the SSOT has each change of create, rotate-password and remove: the
   * container (environment by names only), the firewall rule, the SSOT port, the database and
   * the env file; and none of the passwords.
   */
  private void assertAudited(int port, List<String> secrets) throws IOException {
    String log = Files.readString(Path.of(ssot + ".audit.jsonl"));
    for (String secret : secrets) {
      assertFalse(log.contains(secret), "a password is in the audit log");
    }
    List<String> changes = new ArrayList<>();
    JsonNode container = null;
    for (JsonNode e : we("audit", "--json", "--project", project).expect(0).json()
        .get("entries")) {
      String change = e.get("action").asText() + " " + e.get("target").asText();
      changes.add(change);
      if (change.equals("create container:" + project + "-" + ENV + "-postgres")) {
        container = e;
      }
    }
    String db = "db:db1/" + project + "-" + ENV + "-postgres";
    for (String expected : List.of("claim ssot:project/" + project + "/" + ENV + "/postgres",
        "create container:" + project + "-" + ENV + "-postgres", "create " + db,
        "rotate-password " + db, "delete container:" + project + "-" + ENV + "-postgres",
        "release ssot:project/" + project + "/" + ENV + "/postgres", "delete " + db)) {
      assertTrue(changes.contains(expected), expected + " in " + changes);
    }
    assertTrue(changes.stream().anyMatch(c -> c.startsWith("create env:")), changes.toString());
    assertTrue(container != null && container.at("/after/env").toString()
        .equals("[\"PGDATA\",\"POSTGRES_PASSWORD\"]"), String.valueOf(container));
    // The firewall rule has no project of its own: the whole log is read for it.
    String rule = "firewall:" + GROUP + "/tcp/" + port + "/";
    assertTrue(log.contains("\"create\"") && log.contains(rule), "the rule's entries");
  }

  @Test
  void redisWithPasswordPersistenceBackupAndRestore() throws Exception {
    we("ssot", "allocate", project, "--env", ENV).expect(0);
    we("ssot", "range", "set", "storage", storageStart + "-" + (storageStart + 9)).expect(0);
    JsonNode created = create(project, "redis").expect(0).json();
    int port = created.get("port").asInt();
    URI url = URI.create(envValue(project, "REDIS_URL"));
    String password = password(url);
    assertTrue(create(project, "redis").expect(0).out().contains("\"unchanged\""));
    try (ServerLink link = storageLink()) {
      ServerLink.Forward tunnel = link.forward(privateAddress(), port);
      try (Jedis jedis = new Jedis("127.0.0.1", tunnel.localPort())) {
        assertThrows(JedisException.class, () -> jedis.set("k", "v"), "auth is required");
        assertThrows(JedisException.class, () -> jedis.auth(password + "x"));
        jedis.auth(password);
        assertEquals("OK", jedis.set("kept", "value-1"));
        assertEquals("yes", jedis.configGet("appendonly").get("appendonly"));
      }
      String id = we("db", "backup", project, "--env", ENV, "--json").expect(0).json()
          .get("backups").get(0).get("id").asText();
      try (Jedis jedis = new Jedis("127.0.0.1", tunnel.localPort())) {
        jedis.auth(password);
        jedis.del("kept");
      }
      we("db", "restore", project, "--env", ENV, "--from", id).expect(0);
      try (Jedis jedis = new Jedis("127.0.0.1", tunnel.localPort())) {
        jedis.auth(password);
        assertEquals("value-1", jedis.get("kept"));
        assertEquals("yes", jedis.configGet("appendonly").get("appendonly"));
      }
      we("db", "rotate-password", project, "--env", ENV, "--kind", "redis").expect(0);
      String rotated = password(URI.create(envValue(project, "REDIS_URL")));
      try (Jedis jedis = new Jedis("127.0.0.1", tunnel.localPort())) {
        assertThrows(JedisException.class, () -> jedis.auth(password));
        jedis.auth(rotated);
        assertEquals("value-1", jedis.get("kept"), "the data survives the new container");
      }
      assertSecretsNeverPrinted(List.of(password, rotated));
    }
  }

  @Test
  void theDeployedAppSeesDatabaseUrlAndReachesTheDatabase() throws Exception {
    we("ssot", "allocate", project, "--env", ENV).expect(0);
    we("ssot", "range", "set", "storage", storageStart + "-" + (storageStart + 9)).expect(0);
    create(project, "postgres").expect(0);
    JsonNode deployed = we(Map.of("CODEB_PROXY", proxyUri()), "deploy", project, "--env", ENV,
        "--image", TestEngines.require("CODEB_TEST_DB_APP_IMAGE").strip(), "--host",
        project + ".test", "--drain", "200ms", "--health-timeout", "60s", "--json")
        .expect(0).json();
    int port = deployed.get("port").asInt();
    java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.11:" + port + "/db"))
            .timeout(java.time.Duration.ofSeconds(30)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, answer.statusCode(), answer.body());
    assertEquals("1", answer.body().strip());
    assertSecretsNeverPrinted(List.of(password(URI.create(envValue(project, "DATABASE_URL")))));
  }

  static int count(ServerLink.Forward tunnel, URI url, String password) throws SQLException {
    try (Connection c = jdbc(tunnel, url, password); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM items")) {
      r.next();
      return r.getInt(1);
    }
  }

  void assertSecretsNeverPrinted(List<String> secrets) {
    for (String output : outputs) {
      for (String secret : secrets) {
        assertFalse(output.contains(secret), "a password was printed:\n" + output);
      }
    }
  }
}
