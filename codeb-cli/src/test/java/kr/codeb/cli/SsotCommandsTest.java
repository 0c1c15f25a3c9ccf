package kr.codeb.cli;

import static kr.codeb.cli.WeRunner.assertSubset;
import static kr.codeb.cli.WeRunner.run;
import static kr.codeb.cli.WeRunner.seedCopy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code we ssot} verbs on a real file: a temp copy of the seed's SSOT. */
class SsotCommandsTest {
  @TempDir Path dir;
  Path ssot;

  @BeforeEach
  void copySeed() {
    ssot = seedCopy(dir, "ssot.json");
  }

  private WeRunner.Result we(String... args) {
    List<String> all = new ArrayList<>(List.of("--ssot", ssot.toString()));
    all.addAll(List.of(args));
    return run(all.toArray(String[]::new));
  }

  private static JsonNode findingOf(JsonNode findings, String kind, int port) {
    for (JsonNode f : findings) {
      if (f.get("kind").asText().equals(kind) && f.get("port").asInt() == port) {
        return f;
      }
    }
    throw new AssertionError("no " + kind + " finding for " + port + " in " + findings);
  }

  @Test
  void checkOnTheSeedReportsTheOwnerMismatchAndTheOrphanOf4101() {
    byte[] before = WeRunner.bytes(ssot);
    WeRunner.Result r = we("ssot", "check", "--json").expect(1);
    JsonNode findings = r.json().get("findings");
    JsonNode mismatch = findingOf(findings, "owner-mismatch", 4101);
    assertEquals(WeRunner.MAPPER.createArrayNode().add("worb").add("w-homepage-react"),
        mismatch.get("projects"));
    assertEquals("production", mismatch.get("environments").get(0).asText());
    assertFalse(mismatch.get("message").asText().isBlank());
    findingOf(findings, "orphan-allocation", 4101);
    assertArrayEquals(before, WeRunner.bytes(ssot), "check never writes");
  }

  @Test
  void checkInHumanFormPrintsOneLinePerFindingAndASummary() {
    WeRunner.Result r = we("ssot", "check").expect(1);
    assertTrue(r.out().contains("owner-mismatch 4101: "), r.out());
    assertTrue(r.out().contains("orphan-allocation 4101: "), r.out());
    assertTrue(r.out().contains("2 findings"), r.out());
  }

  @Test
  void checkOnACleanRegistrySaysNoFindingsAndExitsZero() {
    we("ssot", "repair").expect(0);
    assertEquals("no findings", we("ssot", "check").expect(0).out().strip());
    assertEquals(0, we("ssot", "check", "--json").expect(0).json().get("findings").size());
  }

  @Test
  void allocateTakesTheNextFreePairAndKeepsEveryField() {
    JsonNode old = WeRunner.tree(ssot);
    JsonNode first = we("ssot", "allocate", "acme", "--env", "production", "--json").expect(0).json();
    assertEquals(WeRunner.MAPPER.createObjectNode().put("project", "acme")
        .put("environment", "production").put("blue", 4104).put("green", 4105)
        .put("created", true), first);
    JsonNode now = WeRunner.tree(ssot);
    assertSubset(old, now, "$");
    assertEquals(4104, now.at("/projects/acme/ports/production/blue").asInt());
    assertEquals(4105, now.at("/projects/acme/ports/production/green").asInt());
    assertEquals("acme", now.at("/ports/allocated/4104/project").asText());
    assertEquals("green", now.at("/ports/allocated/4105/slot").asText());

    byte[] afterFirst = WeRunner.bytes(ssot);
    JsonNode again = we("ssot", "allocate", "acme", "--env", "production", "--json").expect(0).json();
    assertEquals(4104, again.get("blue").asInt());
    assertEquals(4105, again.get("green").asInt());
    assertFalse(again.get("created").asBoolean());
    assertArrayEquals(afterFirst, WeRunner.bytes(ssot), "a held pair writes nothing");
  }

  @Test
  void allocateInHumanForm() {
    assertEquals("acme production: blue 4104, green 4105 (allocated)",
        we("ssot", "allocate", "acme", "--env", "production").expect(0).out().strip());
    assertEquals("acme production: blue 4104, green 4105 (already held)",
        we("ssot", "allocate", "acme", "--env", "production").expect(0).out().strip());
  }

  @Test
  void releaseGivesThePairBackAndIsIdempotent() {
    we("ssot", "allocate", "acme", "--env", "staging").expect(0);
    JsonNode r = we("ssot", "release", "acme", "--env", "staging", "--json").expect(0).json();
    assertEquals("acme", r.get("project").asText());
    assertEquals("staging", r.get("environment").asText());
    assertTrue(r.get("released").asBoolean());
    assertTrue(WeRunner.tree(ssot).at("/projects/acme").isMissingNode());
    assertFalse(we("ssot", "release", "acme", "--env", "staging", "--json").expect(0).json()
        .get("released").asBoolean());
  }

  @Test
  void showPrintsRangesProjectsAndAllocations() {
    JsonNode s = we("ssot", "show", "--json").expect(0).json();
    assertEquals("7.0.0", s.get("version").asText());
    assertFalse(s.get("revision").asText().isBlank());
    assertEquals(4100, s.at("/ranges/production/start").asInt());
    assertEquals(4499, s.at("/ranges/production/end").asInt());
    assertEquals(4102, s.at("/projects/vsvs-kr/production/blue").asInt());
    assertEquals(4103, s.at("/projects/vsvs-kr/production/green").asInt());
    JsonNode a = s.at("/allocated/4100");
    assertEquals("worb", a.get("project").asText());
    assertEquals("blue", a.get("slot").asText());
    assertTrue(a.get("environment").isNull());
    String human = we("ssot", "show").expect(0).out();
    assertTrue(human.contains("w-homepage-react"), human);
    assertTrue(human.contains("production"), human);
  }

  @Test
  void repairDryRunReportsTheChangeAndWritesNothing() {
    byte[] before = WeRunner.bytes(ssot);
    JsonNode r = we("ssot", "repair", "--dry-run", "--json").expect(0).json();
    assertFalse(r.get("written").asBoolean());
    JsonNode change = r.get("changes").get(0);
    assertEquals(4101, change.get("port").asInt());
    assertEquals("w-homepage-react", change.at("/before/project").asText());
    assertTrue(change.at("/before/environment").isNull());
    assertEquals("worb", change.at("/after/project").asText());
    assertEquals("green", change.at("/after/slot").asText());
    assertEquals("production", change.at("/after/environment").asText());
    assertEquals("owner-mismatch", change.get("fixes").asText());
    assertTrue(r.get("remaining").isArray());
    assertArrayEquals(before, WeRunner.bytes(ssot));
  }

  @Test
  void repairWritesAndTheCheckIsCleanAfterwards() {
    JsonNode old = WeRunner.tree(ssot);
    WeRunner.Result r = we("ssot", "repair").expect(0);
    assertTrue(r.out().contains("4101: w-homepage-react/blue -> worb/production/green"), r.out());
    we("ssot", "check").expect(0);
    JsonNode now = WeRunner.tree(ssot);
    assertEquals("worb", now.at("/ports/allocated/4101/project").asText());
    assertSubset(old.get("projects"), now.get("projects"), "$.projects");
    assertSubset(old.get("portRanges"), now.get("portRanges"), "$.portRanges");
  }

  @Test
  void versionAndHelp() {
    assertTrue(run("--version").expect(0).out().startsWith("we "));
    assertTrue(run("ssot", "--help").expect(0).out().contains("allocate"));
    assertTrue(run("ssot", "allocate", "--help").expect(0).out().contains("--env"));
  }

  @Test
  void aMissingSubcommandIsAUsageError() {
    assertTrue(run().expect(2).err().contains("needs a subcommand"));
    assertTrue(run("ssot").expect(2).err().contains("we ssot"));
  }
}
