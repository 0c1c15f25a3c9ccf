package kr.codeb.cli;

import static kr.codeb.cli.DeployFleet.GOOD_V1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kr.codeb.proxy.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input to the deploy verbs exits 2, names the problem, and starts, switches and writes
 * nothing: the routes, the containers and the SSOT file are as they were.
 */
class DeployBadInputTest {
  @TempDir Path dir;
  DeployFleet fleet;
  Path badEnvFile;

  @AfterEach
  void stopContainers() {
    fleet.removeContainers();
  }

  @BeforeEach
  void fleet() {
    fleet = new DeployFleet(dir);
    badEnvFile = WeRunner.writePrivate(dir.resolve("bad.env"),
        "# ok\nGOOD=1\nthis-line-is-a-leaked-token\n".getBytes(StandardCharsets.UTF_8));
  }

  private static String[] deploy(String... more) {
    List<String> all = new ArrayList<>(List.of("deploy", "acme", "--env", "production",
        "--image", GOOD_V1, "--drain", "0s"));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  static Stream<Arguments> badInput() {
    return Stream.of(
        Arguments.of(new String[] {"promote", "nobody", "--env", "production"}, "nobody"),
        Arguments.of(new String[] {"rollback", "nobody", "--env", "production"}, "nobody"),
        Arguments.of(new String[] {"slot", "nobody", "--env", "production"}, "nobody"),
        Arguments.of(new String[] {"promote", "acme", "--env", "production", "--slot", "red"},
            "'red'"),
        Arguments.of(new String[] {"deploy", "acme", "--env", "production", "--image",
            "acme web:1"}, "'acme web:1'"),
        Arguments.of(deploy("--health-path", "health"), "'health'"),
        Arguments.of(deploy("--port", "0"), "container port 0"),
        Arguments.of(deploy("--port", "70000"), "container port 70000"),
        Arguments.of(deploy("--port", "http"), "http"),
        Arguments.of(new String[] {"deploy", "acme", "--env", "nope", "--image", GOOD_V1},
            "'nope'"),
        Arguments.of(new String[] {"deploy", "acme", "--env", "system", "--image", GOOD_V1},
            "'system'"),
        Arguments.of(new String[] {"deploy", "acme", "--env", "Prod!", "--image", GOOD_V1},
            "'Prod!'"),
        Arguments.of(new String[] {"deploy", "../x", "--env", "production", "--image", GOOD_V1},
            "'../x'"),
        Arguments.of(deploy("--health-timeout", "5x"), "'5x'"),
        Arguments.of(deploy("--drain", "-1s"), "'-1s'"),
        Arguments.of(deploy("--lock-wait", "soon"), "'soon'"),
        Arguments.of(deploy("--health-interval", "0s"), "health interval"),
        Arguments.of(deploy("--host", "bad host"), "bad host"),
        Arguments.of(deploy("--keep-images", "0"), "keep-images"),
        Arguments.of(deploy("-e", "1BAD=x"), "-e"),
        Arguments.of(deploy("-e", "NOEQUALS"), "-e"),
        Arguments.of(deploy("--env-file", "/nonexistent/app.env"), "/nonexistent/app.env"),
        Arguments.of(new String[] {"health", "acme", "--env", "nope"}, "'nope'"),
        Arguments.of(new String[] {"lock", "show", "acme", "--env", "nope"}, "'nope'"),
        Arguments.of(new String[] {"lock", "break", "Acme", "--env", "production"}, "'Acme'"),
        Arguments.of(new String[] {"deploy", "acme", "--env", "production"}, "--image"),
        Arguments.of(new String[] {"lock"}, "subcommand"));
  }

  @ParameterizedTest
  @MethodSource("badInput")
  void badInputExitsTwoAndChangesNothing(String[] args, String named) {
    fleet.deploy(GOOD_V1).expect(0);
    State before = state();

    WeRunner.Result r = fleet.we(args).expect(2);
    assertTrue(r.err().startsWith("we: error: "), r.err());
    assertTrue(r.err().contains(named), "stderr should name " + named + ": " + r.err());
    assertEquals("", r.out());
    before.assertUnchanged(state());

    String[] json = Stream.concat(Stream.of(args), Stream.of("--json")).toArray(String[]::new);
    WeRunner.Result j = fleet.we(json).expect(2);
    JsonNode error = j.errorJson().get("error");
    assertEquals("invalid-request", error.get("kind").asText());
    assertTrue(error.get("message").asText().contains(named), j.err());
    assertEquals("", j.out());
    before.assertUnchanged(state());
  }

  @Test
  void aBadEnvFileLineNamesTheFileAndLineButNotTheLine() {
    State before = state();
    WeRunner.Result r = fleet.we(deploy("--env-file", badEnvFile.toString())).expect(2);
    assertTrue(r.err().contains(badEnvFile.toString()), r.err());
    assertTrue(r.err().contains("line 3"), r.err());
    assertFalse(r.err().contains("leaked-token"), r.err());
    assertEquals("", r.out());
    before.assertUnchanged(state());
    assertTrue(fleet.containers().isEmpty());
  }

  @Test
  void envFilesThatWouldLeakOrHangAndWildcardHostsAreRefusedBeforeAnythingStarts()
      throws java.io.IOException {
    fleet.deploy(GOOD_V1).expect(0);
    State before = state();
    String secret = "SECRET" + Long.toHexString(System.nanoTime());
    Path nul = WeRunner.writePrivate(dir.resolve("nul.env"),
        ("A=" + secret + "\u0000\n").getBytes(StandardCharsets.UTF_8));
    Path open = WeRunner.writePrivate(dir.resolve("open.env"),
        ("A=\"" + secret + "\n").getBytes(StandardCharsets.UTF_8));
    Path shared = WeRunner.write(dir.resolve("shared.env"),
        ("A=" + secret + "\n").getBytes(StandardCharsets.UTF_8));
    java.nio.file.Files.setPosixFilePermissions(shared,
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    Map<String[], String> cases = new java.util.LinkedHashMap<>();
    cases.put(deploy("--env-file", nul.toString()), nul + " line 1 (A): the value contains a"
        + " control character (NUL");
    cases.put(deploy("--env-file", open.toString()), open + " line 1 (A): the value opens a"
        + " double quote that is not closed");
    cases.put(deploy("--env-file", shared.toString()), "--allow-insecure-env-file");
    cases.put(deploy("--env-file", "/dev/zero"), "/dev/zero is not a regular file");
    cases.put(deploy("--env-file", dir.toString()), "is not a regular file");
    cases.put(deploy("-e", "A=" + secret + "\u0000"), "-e #1 (A): the value contains a control");
    cases.put(deploy("--host", "*.wild.example.test"), "invalid host '*.wild.example.test'");
    cases.put(deploy("--host", "localhost"), "it has a single label");
    for (Map.Entry<String[], String> c : cases.entrySet()) {
      for (boolean json : new boolean[] {false, true}) {
        String[] args = json ? Stream.concat(Stream.of(c.getKey()), Stream.of("--json"))
            .toArray(String[]::new) : c.getKey();
        WeRunner.Result r = fleet.we(args).expect(2);
        assertTrue(r.err().contains(c.getValue()), c.getValue() + " in " + r.err());
        assertFalse(r.err().contains(secret), r.err());
        assertEquals("", r.out());
        before.assertUnchanged(state());
      }
    }
    assertFalse(new String(WeRunner.bytes(fleet.ssot), StandardCharsets.UTF_8).contains(secret));
    fleet.we(deploy("--env-file", shared.toString(), "--allow-insecure-env-file")).expect(0);
  }

  @Test
  void nothingIsDeployedOnBadInputToAnEmptyFleet() {
    State before = state();
    fleet.we(deploy("--port", "0")).expect(2);
    fleet.we("deploy", "acme", "--env", "nope", "--image", GOOD_V1).expect(2);
    before.assertUnchanged(state());
    assertTrue(fleet.containers().isEmpty());
    assertTrue(fleet.routes().isEmpty());
  }

  @Test
  void aMissingRuntimeOrProxyIsBadInputNamingTheFlagAndVariable() {
    WeRunner.Result r = WeRunner.run("--ssot", fleet.ssot.toString(), "--proxy",
        fleet.proxyUri, "deploy", "acme", "--env", "production", "--image", GOOD_V1).expect(2);
    assertTrue(r.err().contains("--runtime") && r.err().contains("CODEB_RUNTIME"), r.err());
    WeRunner.Result p = WeRunner.run("--ssot", fleet.ssot.toString(), "--runtime",
        fleet.runtimeUri, "slot", "acme", "--env", "production").expect(2);
    assertTrue(p.err().contains("--proxy") && p.err().contains("CODEB_PROXY"), p.err());
    WeRunner.Result q = WeRunner.run("routes").expect(2);
    assertTrue(q.err().contains("--proxy"), q.err());
    // From the environment instead of the flags: works.
    WeRunner.run(Map.of("CODEB_RUNTIME", fleet.runtimeUri, "CODEB_PROXY", fleet.proxyUri),
        "--ssot", fleet.ssot.toString(), "routes", "--json").expect(0);
    assertTrue(fleet.containers().isEmpty());
  }

  /** What bad input must not change. */
  private State state() {
    return new State(WeRunner.bytes(fleet.ssot), fleet.routes(),
        fleet.containers().stream().map(c -> c.name() + " " + c.image() + " " + c.state())
            .sorted().toList());
  }

  private record State(byte[] ssot, List<Route> routes, List<String> containers) {
    void assertUnchanged(State now) {
      assertArrayEquals(ssot, now.ssot, "the SSOT must not change");
      assertEquals(routes, now.routes, "the routes must not change");
      assertEquals(containers, now.containers, "no container may start or stop");
    }
  }

}
