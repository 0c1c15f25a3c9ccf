package kr.codeb.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import kr.codeb.InvalidRequestException;
import kr.codeb.db.internal.Containers;
import kr.codeb.db.internal.Credentials;
import kr.codeb.db.internal.Names;
import kr.codeb.db.internal.Passwords;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.runtime.ContainerSpec;
import org.junit.jupiter.api.Test;

/** Names, passwords and container specs: pure, no engine. */
class DbSpecTest {
  static final ProjectName SHOP = ProjectName.of("shop-kr");
  static final Environment PROD = Environment.of("production");

  @Test
  void kindsParseAndABadKindSaysWhatIsAllowed() {
    assertEquals(DbKind.REDIS, DbKind.parse("redis"));
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> DbKind.parse("mysql"));
    assertEquals("unknown database kind 'mysql': allowed are postgres, redis", e.getMessage());
  }

  @Test
  void theOfficialImageIsTheDefault() {
    assertEquals("postgres:16", DbRequest.of(SHOP, PROD, DbKind.POSTGRES).imageToRun());
    assertEquals("redis:7.2", new DbRequest(SHOP, PROD, DbKind.REDIS, "7.2", Optional.empty())
        .imageToRun());
    assertThrows(InvalidRequestException.class,
        () -> new DbRequest(SHOP, PROD, DbKind.REDIS, "7 2", Optional.empty()));
    assertThrows(InvalidRequestException.class,
        () -> new DbRequest(SHOP, PROD, DbKind.REDIS, "7", Optional.of("Bad Image")));
  }

  @Test
  void passwordsAreLongRandomAndPlain() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      String p = Passwords.generate();
      assertTrue(p.matches("[A-Za-z0-9]{32}"), p);
      assertTrue(seen.add(p));
    }
  }

  @Test
  void namesFollowTheSlots() {
    Names n = new Names(SHOP, PROD, DbKind.POSTGRES);
    assertEquals("shop-kr-production-postgres", n.container());
    assertEquals("shop-kr-production-postgres-data", n.volume());
    assertEquals("shop_kr", n.database());
    assertEquals("database", n.labels().get("codeb.role"));
  }

  @Test
  void specsKeepPasswordsOutOfTheCommandAndToString() {
    Credentials c = new Credentials(Optional.of(Passwords.generate()), Passwords.generate());
    for (DbKind kind : DbKind.values()) {
      ContainerSpec spec = Containers.spec(DbRequest.of(SHOP, PROD, kind),
          new Names(SHOP, PROD, kind), "10.0.0.2", 6000, c);
      assertTrue(spec.hostNetwork());
      assertEquals(1, spec.volumes().size());
      assertEquals("6000", spec.labels().get("codeb.port"));
      String shown = spec.toString() + spec.command();
      assertFalse(shown.contains(c.password()), shown);
      assertFalse(shown.contains(c.admin().orElseThrow()), shown);
      assertTrue(String.join(" ", spec.command()).contains("10.0.0.2"));
    }
    assertEquals("Credentials[redacted]", c.toString());
    assertNotEquals(c.password(), c.admin().orElseThrow());
  }

  @Test
  void storageServerChecksItsEngineCommandAndFolder() {
    assertThrows(InvalidRequestException.class, () -> check("docker; rm -rf /", "/opt/codeb/db"));
    assertThrows(InvalidRequestException.class, () -> check("docker", "relative"));
    assertThrows(InvalidRequestException.class, () -> check("docker", "/opt/../etc"));
  }

  private static void check(String cli, String dir) {
    new StorageServer(null, null, null, cli, dir);
  }
}
