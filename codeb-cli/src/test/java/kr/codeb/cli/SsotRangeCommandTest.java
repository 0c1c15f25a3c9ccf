package kr.codeb.cli;

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

/** {@code we ssot range set} on a copy of the seed's SSOT. */
class SsotRangeCommandTest {
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

  @Test
  void aNewRangeIsAppendedAndEveryOtherFieldKept() {
    JsonNode old = WeRunner.tree(ssot);
    JsonNode r = we("ssot", "range", "set", "storage", "6000-6099", "--json").expect(0).json();
    assertTrue(r.get("changed").asBoolean(), r.toString());
    JsonNode now = WeRunner.tree(ssot);
    assertEquals(6000, now.at("/portRanges/storage/start").asInt());
    assertEquals(6099, now.at("/portRanges/storage/end").asInt());
    WeRunner.assertSubset(old, now, "");
    byte[] before = WeRunner.bytes(ssot);
    assertFalse(we("ssot", "range", "set", "storage", "6000-6099", "--json").expect(0).json()
        .get("changed").asBoolean());
    assertArrayEquals(before, WeRunner.bytes(ssot), "the same range again writes nothing");
    assertTrue(we("ssot", "range", "set", "storage", "6000-6199").expect(0).out()
        .contains("storage 6000-6199 (set)"));
  }

  @Test
  void anOverlapIsRefusedNamingTheOtherRangeAndNothingIsWritten() {
    byte[] before = WeRunner.bytes(ssot);
    WeRunner.Result r = we("ssot", "range", "set", "storage", "5432-5531").expect(2);
    assertTrue(r.err().contains("overlaps range preview 5000-5499"), r.err());
    assertArrayEquals(before, WeRunner.bytes(ssot));
  }

  @Test
  void aRangeThatWouldLeaveHeldPortsOutsideIsRefused() {
    byte[] before = WeRunner.bytes(ssot);
    WeRunner.Result r = we("ssot", "range", "set", "production", "4300-4499").expect(2);
    assertTrue(r.err().contains("would leave held ports outside it"), r.err());
    assertArrayEquals(before, WeRunner.bytes(ssot));
  }

  @Test
  void badRangesAndNamesExitTwo() {
    byte[] before = WeRunner.bytes(ssot);
    for (String bad : List.of("6000", "6000-", "a-b", "6099-6000", "0-10", "6000-70000",
        "-6000-6010")) {
      WeRunner.Result r = we("ssot", "range", "set", "storage", "--", bad).expect(2);
      assertFalse(r.err().isBlank(), bad);
    }
    we("ssot", "range", "set", "Bad_Name", "6000-6099").expect(2);
    assertArrayEquals(before, WeRunner.bytes(ssot));
  }
}
