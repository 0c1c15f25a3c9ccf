package kr.codeb.cli;

import static kr.codeb.cli.WeRunner.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input exits 2, names the problem on stderr, prints nothing on stdout, writes nothing. */
class BadInputTest {
  @TempDir Path dir;

  private static String seed() {
    return new String(WeRunner.seedBytes(), StandardCharsets.UTF_8);
  }

  private static String replaced(String from, String to) {
    String s = seed();
    if (!s.contains(from)) {
      throw new AssertionError("seed has no " + from);
    }
    return s.replace(from, to);
  }

  static Stream<Arguments> badFiles() {
    byte[] seed = WeRunner.seedBytes();
    return Stream.of(
        Arguments.of("malformed JSON", "{\"version\": \"7.0.0\", \"portRanges\": {,}}", "JSON"),
        Arguments.of("truncated", new String(Arrays.copyOf(seed, seed.length / 2),
            StandardCharsets.UTF_8), "JSON"),
        Arguments.of("range start after end",
            replaced("\"start\": 4100, \"end\": 4499", "\"start\": 4499, \"end\": 4100"),
            "portRanges.production"),
        Arguments.of("port 70000 in a project",
            replaced("\"green\": 4103", "\"green\": 70000"), "70000"),
        Arguments.of("port 70000 as an allocation key",
            replaced("\"4103\": {", "\"70000\": {"), "70000"),
        Arguments.of("empty file", "", "ssot.json"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void aBadFileIsRefusedAndLeftAlone(String what, String content, String named) {
    Path file = WeRunner.write(dir.resolve("ssot.json"), content.getBytes(StandardCharsets.UTF_8));
    byte[] before = WeRunner.bytes(file);
    for (String[] args : new String[][] {
        {"ssot", "allocate", "acme", "--env", "production"},
        {"ssot", "repair"},
        {"ssot", "check"},
        {"ssot", "show"}}) {
      String[] all = Stream.concat(Stream.of("--ssot", file.toString()), Arrays.stream(args))
          .toArray(String[]::new);
      WeRunner.Result r = run(all).expect(2);
      assertTrue(r.err().startsWith("we: error: "), r.err());
      assertTrue(r.err().contains(named), what + ": stderr should name " + named + ": " + r.err());
      assertEquals("", r.out());
      assertArrayEquals(before, WeRunner.bytes(file), what + ": the file must not change");
    }
  }

  static Stream<Arguments> badArguments() {
    return Stream.of(
        Arguments.of(new String[] {"ssot", "allocate", "../x", "--env", "production"}, "'../x'"),
        Arguments.of(new String[] {"ssot", "allocate", "Acme", "--env", "production"}, "'Acme'"),
        Arguments.of(new String[] {"ssot", "allocate", "acme", "--env", "nope"}, "'nope'"),
        Arguments.of(new String[] {"ssot", "allocate", "acme", "--env", "system"}, "'system'"),
        Arguments.of(new String[] {"ssot", "allocate", "acme", "--env", "Prod!"}, "'Prod!'"),
        Arguments.of(new String[] {"ssot", "allocate", "acme", "--env", "production", "--bogus"},
            "--bogus"),
        Arguments.of(new String[] {"ssot", "allocate", "acme"}, "--env"),
        Arguments.of(new String[] {"ssot", "allocate", "--env", "production"}, "PROJECT"),
        Arguments.of(new String[] {"ssot", "release", "../x", "--env", "production"}, "'../x'"),
        Arguments.of(new String[] {"ssot", "release", "acme", "--env", "nope"}, "'nope'"),
        Arguments.of(new String[] {"ssot", "check", "--bogus"}, "--bogus"),
        Arguments.of(new String[] {"ssot", "frobnicate"}, "frobnicate"));
  }

  @ParameterizedTest
  @MethodSource("badArguments")
  void badArgumentsAreRefusedAndTheFileIsLeftAlone(String[] args, String named) {
    Path file = WeRunner.seedCopy(dir, "ssot.json");
    byte[] before = WeRunner.bytes(file);
    String[] all = Stream.concat(Stream.of("--ssot", file.toString()), Arrays.stream(args))
        .toArray(String[]::new);
    WeRunner.Result r = run(all).expect(2);
    assertTrue(r.err().contains(named), "stderr should name " + named + ": " + r.err());
    assertEquals("", r.out());
    assertArrayEquals(before, WeRunner.bytes(file));

    String[] json = Stream.concat(Arrays.stream(all), Stream.of("--json")).toArray(String[]::new);
    WeRunner.Result j = run(json).expect(2);
    JsonNode error = j.errorJson().get("error");
    assertEquals("invalid-request", error.get("kind").asText());
    assertTrue(error.get("message").asText().contains(named), j.err());
    assertEquals("", j.out());
    assertArrayEquals(before, WeRunner.bytes(file));
  }

  @Test
  void aBadProjectNameIsRefusedBeforeTheStoreIsOpened() {
    Path missing = dir.resolve("does-not-exist.json");
    WeRunner.Result r = run("ssot", "allocate", "../x", "--env", "production",
        "--ssot", missing.toString()).expect(2);
    assertTrue(r.err().contains("project name"), r.err());
    assertTrue(!missing.toFile().exists());
  }

  @Test
  void aMissingRegistryIsAFailureNotBadInput() {
    WeRunner.Result r = run("ssot", "check", "--json",
        "--ssot", dir.resolve("none.json").toString()).expect(1);
    assertEquals("not-found", r.errorJson().at("/error/kind").asText());
  }

  @Test
  void anUnknownStoreSchemeIsBadInput() {
    assertTrue(run("ssot", "show", "--ssot", "nosuch://x").expect(2).err().contains("nosuch"));
  }
}
