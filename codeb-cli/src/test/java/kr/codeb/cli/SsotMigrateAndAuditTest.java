package kr.codeb.cli;

import static kr.codeb.cli.WeRunner.run;
import static kr.codeb.cli.WeRunner.seedCopy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code we ssot migrate} between a file and the real PostgreSQL server, and {@code we audit}
 * on both kinds of store. Each test uses a schema of its own in the test database.
 */
class SsotMigrateAndAuditTest {
  @TempDir Path dir;
  private String schema;
  private String pg;
  private Map<String, String> env;

  @BeforeEach
  void schema() {
    schema = "cli_" + UUID.randomUUID().toString().substring(0, 8);
    pg = TestEngines.require("CODEB_TEST_POSTGRESQL_URI") + "&schema=" + schema;
    env = Map.of("CODEB_POSTGRESQL_PASSWORD", TestEngines.require("CODEB_TEST_POSTGRESQL_PASSWORD"),
        "CODEB_ACTOR", "alice@laptop");
  }

  @AfterEach
  void dropSchema() throws Exception {
    Properties props = new Properties();
    props.setProperty("user", TestEngines.require("CODEB_TEST_POSTGRESQL_USER"));
    props.setProperty("password", TestEngines.require("CODEB_TEST_POSTGRESQL_PASSWORD"));
    String url = "jdbc:postgresql://" + TestEngines.require("CODEB_TEST_POSTGRESQL_HOST") + ":"
        + TestEngines.require("CODEB_TEST_POSTGRESQL_PORT") + "/"
        + TestEngines.require("CODEB_TEST_POSTGRESQL_DATABASE");
    try (Connection c = DriverManager.getConnection(url, props);
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  private WeRunner.Result we(String... args) {
    return run(env, args);
  }

  @Test
  void aRoundTripThroughPostgresqlGivesBackTheSameBytes() throws Exception {
    Path original = seedCopy(dir, "ssot.json");
    byte[] before = Files.readAllBytes(original);
    JsonNode there = we("ssot", "migrate", "--from", original.toString(), "--to", pg, "--json")
        .expect(0).json();
    assertTrue(there.get("written").asBoolean());
    assertFalse(there.get("to").asText().contains(env.get("CODEB_POSTGRESQL_PASSWORD")));
    // The registry is usable there: the same findings as the file (the seed's 4101 conflict).
    assertEquals(we("--ssot", original.toString(), "ssot", "check", "--json").expect(1).json(),
        we("--ssot", pg, "ssot", "check", "--json").expect(1).json());
    Path back = dir.resolve("back").resolve("ssot.json");
    Files.createDirectories(back.getParent());
    JsonNode again = we("ssot", "migrate", "--from", pg, "--to", back.toString(), "--json")
        .expect(0).json();
    assertTrue(again.get("written").asBoolean());
    assertArrayEquals(before, Files.readAllBytes(back), "file -> postgresql -> file");
    assertEquals(there.get("revision"), again.get("revision"));
    assertFalse(we("ssot", "migrate", "--from", pg, "--to", back.toString(), "--json")
        .expect(0).json().get("written").asBoolean(), "the same bytes are not written again");
  }

  @Test
  void aTargetHoldingAnotherRegistryIsReplacedOnlyWithReplace() throws Exception {
    Path original = seedCopy(dir, "ssot.json");
    we("ssot", "migrate", "--from", original.toString(), "--to", pg).expect(0);
    we("--ssot", original.toString(), "ssot", "allocate", "acme", "--env", "production")
        .expect(0);
    WeRunner.Result refused =
        we("ssot", "migrate", "--from", original.toString(), "--to", pg).expect(1);
    assertTrue(refused.err().contains("holds another registry already")
        && refused.err().contains("--replace"), refused.err());
    assertFalse(we("--ssot", pg, "ssot", "show").expect(0).out().contains("acme"));
    we("ssot", "migrate", "--from", original.toString(), "--to", pg, "--replace").expect(0);
    assertTrue(we("--ssot", pg, "ssot", "show").expect(0).out().contains("acme"));
  }

  @Test
  void badMigrationsAreRefusedWithNothingWritten() throws Exception {
    Path original = seedCopy(dir, "ssot.json");
    byte[] before = Files.readAllBytes(original);
    assertTrue(we("ssot", "migrate", "--from", original.toString(), "--to", "mem:").expect(2)
        .err().contains("cannot hand over its document"));
    assertTrue(we("ssot", "migrate", "--from", original.toString(), "--to", original.toString())
        .expect(2).err().contains("name the same store"));
    WeRunner.Result password = we("ssot", "migrate", "--from", original.toString(), "--to",
        pg.replace("postgresql://", "postgresql://codeb:Hunter2pw@")).expect(2);
    assertTrue(password.err().contains("password"), password.err());
    assertFalse(password.err().contains("Hunter2pw"), password.err());
    Path broken = WeRunner.write(dir.resolve("broken.json"), "{\"version\":".getBytes());
    we("ssot", "migrate", "--from", broken.toString(), "--to", pg).expect(2);
    assertTrue(we("--ssot", pg, "ssot", "show").expect(1).err().contains("we ssot migrate"),
        "nothing was written to the database");
    assertTrue(we("ssot", "migrate", "--to", pg).expect(2).err().contains("--from"));
    assertArrayEquals(before, Files.readAllBytes(original));
  }

  @Test
  void auditShowsTheEditsOfAFileStoreWithActorAndCommand() {
    Path ssot = seedCopy(dir, "ssot.json");
    String file = ssot.toString();
    JsonNode allocated = we("--ssot", file, "ssot", "allocate", "acme", "--env", "production",
        "--json").expect(0).json();
    we("--ssot", file, "ssot", "release", "acme", "--env", "production").expect(0);
    JsonNode entries = we("--ssot", file, "audit", "--json").expect(0).json().get("entries");
    assertEquals(2, entries.size(), entries::toString);
    JsonNode first = entries.get(0);
    assertEquals("alice@laptop", first.get("actor").asText());
    assertEquals("we ssot allocate", first.get("command").asText());
    assertEquals("file", first.get("provider").asText());
    assertEquals("ssot:project/acme/production", first.get("target").asText());
    assertTrue(first.get("before").isNull());
    assertEquals(allocated.get("blue").asInt(), first.get("after").get("blue").asInt(),
        allocated::toString);
    assertEquals("release", entries.get(1).get("action").asText());
    assertEquals(0, we("--ssot", file, "audit", "--project", "other", "--json").expect(0).json()
        .get("entries").size());
    assertEquals(2, we("--ssot", file, "audit", "--since", "1h", "--json").expect(0).json()
        .get("entries").size());
    assertTrue(we("--ssot", file, "audit").expect(0).out().contains("allocate"
        + " ssot:project/acme/production"));
    assertTrue(we("--ssot", file, "audit", "--since", "yesterday").expect(2).err()
        .contains("ISO-8601"));
  }

  @Test
  void auditOfAPostgresqlStoreReadsItsTable() {
    Path ssot = seedCopy(dir, "ssot.json");
    we("ssot", "migrate", "--from", ssot.toString(), "--to", pg).expect(0);
    we("--ssot", pg, "ssot", "allocate", "acme", "--env", "production").expect(0);
    JsonNode entries = we("--ssot", pg, "audit", "--json").expect(0).json().get("entries");
    assertEquals(2, entries.size(), entries::toString);
    assertEquals("we ssot migrate", entries.get(0).get("command").asText());
    assertEquals("import", entries.get(0).get("action").asText());
    assertEquals("postgresql", entries.get(1).get("provider").asText());
    assertEquals("alice@laptop", entries.get(1).get("actor").asText());
  }

  @Test
  void changesToTheFleetGoToTheDatabaseOfAPostgresqlStore() {
    Path ssot = seedCopy(dir, "ssot.json");
    we("ssot", "migrate", "--from", ssot.toString(), "--to", pg).expect(0);
    String fw = "mem:audit-pg-" + schema + "?groups=storage";
    we("--ssot", pg, "--firewall", fw, "firewall", "allow", "--group", "storage", "--port",
        "5432", "--from", "10.9.8.7/32").expect(0);
    we("--ssot", pg, "--firewall", fw, "firewall", "revoke", "--group", "storage", "--port",
        "5432", "--from", "10.9.8.7/32").expect(0);
    JsonNode entries = we("--ssot", pg, "audit", "--json").expect(0).json().get("entries");
    assertEquals(3, entries.size(), entries::toString);
    for (int i = 1; i <= 2; i++) {
      JsonNode e = entries.get(i);
      assertEquals("mem", e.get("provider").asText());
      assertEquals("firewall:storage/tcp/5432/10.9.8.7/32", e.get("target").asText());
      assertEquals("alice@laptop", e.get("actor").asText());
    }
    assertEquals("create", entries.get(1).get("action").asText());
    assertEquals("we firewall allow", entries.get(1).get("command").asText());
    assertEquals("delete", entries.get(2).get("action").asText());
    assertFalse(Files.exists(Path.of(ssot + ".audit.jsonl")), "nothing beside the file");
  }
}
