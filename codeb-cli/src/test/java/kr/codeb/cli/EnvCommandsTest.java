package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kr.codeb.env.EnvFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code we env} with the env files on this machine (the config file's envDir:, no app server
 * with ssh:): set, unset, keys, diff, and bad input. Every line's stdout and stderr is kept and
 * searched for the secrets at the end. Over SSH with a real deploy: EnvFleetTest.
 */
class EnvCommandsTest {
  static final String SECRET = "s3cr3t 'quoted' $HOME\n line2 \\ \u00e9";
  static final String STDIN_SECRET = "from-stdin-" + Long.toHexString(System.nanoTime());

  @TempDir Path dir;
  Path envDir;
  Path config;
  Path file;
  final List<WeRunner.Result> results = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    Path ssot = WeRunner.write(dir.resolve("ssot.json"), ("{\"version\":\"7.0.0\","
        + "\"portRanges\":{\"production\":{\"start\":47000,\"end\":47099}},\"projects\":{},"
        + "\"ports\":{\"allocated\":{}}}\n").getBytes(StandardCharsets.UTF_8));
    envDir = dir.resolve("env");
    config = Files.writeString(dir.resolve("we.yaml"), "ssot: " + ssot + "\nenvDir: " + envDir
        + "\n");
    file = envDir.resolve("shop-production.env");
    we("ssot", "allocate", "shop", "--env", "production").expect(0);
  }

  WeRunner.Result we(String... args) {
    List<String> all = new ArrayList<>(List.of("--config", config.toString()));
    all.addAll(List.of(args));
    WeRunner.Result r = WeRunner.run(Map.of(), all.toArray(String[]::new));
    results.add(r);
    return r;
  }

  WeRunner.Result withStdin(byte[] input, String... args) {
    InputStream before = System.in;
    System.setIn(new ByteArrayInputStream(input));
    try {
      return we(args);
    } finally {
      System.setIn(before);
    }
  }

  EnvFile onDisk() throws IOException {
    return EnvFile.parse(Files.readAllBytes(file));
  }

  @AfterEach
  void noSecretWasPrinted() {
    for (WeRunner.Result r : results) {
      for (String secret : List.of(SECRET, "s3cr3t", "line2", STDIN_SECRET, "v-from-file",
          "nul-value")) {
        assertFalse(r.out().contains(secret) || r.err().contains(secret),
            "a value was printed: " + r);
      }
    }
  }

  @Test
  void setKeysDiffAndUnsetPrintNamesOnly() throws IOException {
    WeRunner.Result set = we("env", "set", "shop", "--env", "production", "SECRET=" + SECRET,
        "PLAIN=1").expect(0);
    assertTrue(set.out().contains("added PLAIN, SECRET"), set.out());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(SECRET, onDisk().get("SECRET").orElseThrow(), "the value round-trips");

    assertEquals("unchanged\n", we("env", "set", "shop", "--env", "production", "PLAIN=1")
        .expect(0).out());

    withStdin((STDIN_SECRET + "\n").getBytes(StandardCharsets.UTF_8),
        "env", "set", "shop", "--env", "production", "TOKEN").expect(0);
    assertEquals(STDIN_SECRET, onDisk().get("TOKEN").orElseThrow(),
        "stdin gives the value without its final line break");

    Path from = WeRunner.writePrivate(dir.resolve("more.env"),
        "# comment\nFROM_FILE=\"v-from-file\"\nPLAIN=2\n".getBytes(StandardCharsets.UTF_8));
    WeRunner.Result fromFile = we("env", "set", "shop", "--env", "production", "--from-file",
        from.toString(), "--json").expect(0);
    JsonNode change = fromFile.json();
    assertTrue(change.get("changed").asBoolean());
    assertEquals("[\"FROM_FILE\"]", change.get("keys").get("added").toString());
    assertEquals("[\"PLAIN\"]", change.get("keys").get("changed").toString());
    assertEquals("v-from-file", onDisk().get("FROM_FILE").orElseThrow());

    assertEquals("SECRET\nPLAIN\nTOKEN\nFROM_FILE\n",
        we("env", "keys", "shop", "--env", "production").expect(0).out());
    JsonNode keys = we("env", "keys", "shop", "--env", "production", "--json").expect(0).json();
    assertEquals("[\"SECRET\",\"PLAIN\",\"TOKEN\",\"FROM_FILE\"]", keys.get("keys").toString());
    assertEquals("this machine:" + file, keys.get("location").asText());

    Path wanted = WeRunner.writePrivate(dir.resolve("wanted.env"),
        ("SECRET='" + "other'\nPLAIN=2\nNEW=x\n").getBytes(StandardCharsets.UTF_8));
    assertEquals("+ NEW\n~ SECRET\n- FROM_FILE\n- TOKEN\n",
        we("env", "diff", "shop", "--env", "production", wanted.toString()).expect(0).out());

    WeRunner.Result unset = we("env", "unset", "shop", "--env", "production", "TOKEN",
        "NOT_SET").expect(0);
    assertTrue(unset.out().contains("removed TOKEN"), unset.out());
    assertEquals("unchanged\n", we("env", "unset", "shop", "--env", "production", "TOKEN")
        .expect(0).out());
    assertFalse(onDisk().keys().contains("TOKEN"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"A=B=C", "MY KEY=v", "1ABC=v", "lower=v", "=v", "A-B=v", "A=x\0y"})
  void badKeysOrValuesExitTwoAndWriteNothing(String assignment) {
    WeRunner.Result r = we("env", "set", "shop", "--env", "production", "OK=1",
        assignment.equals("A=B=C") ? "A=B=C" : assignment);
    if (assignment.equals("A=B=C")) {
      // a value may hold '=': the key is A
      r.expect(0);
      return;
    }
    r.expect(2);
    assertTrue(r.err().contains("env key") || r.err().contains("NUL"), r.err());
    assertFalse(Files.exists(file), "nothing written");
  }

  @Test
  void aKeyWithAnEqualsSignOrSpaceIsRefusedByUnset() {
    for (String key : List.of("A=B", "A B", "9A")) {
      WeRunner.Result r = we("env", "unset", "shop", "--env", "production", key).expect(2);
      assertTrue(r.err().contains("invalid env key"), r.err());
    }
    assertFalse(Files.exists(file));
  }

  @Test
  void aNulOnStdinOrInAFileIsRefused() throws IOException {
    WeRunner.Result r = withStdin("nul-value\0x".getBytes(StandardCharsets.UTF_8),
        "env", "set", "shop", "--env", "production", "TOKEN").expect(2);
    assertTrue(r.err().contains("NUL"), r.err());
    Path nul = WeRunner.writePrivate(dir.resolve("nul.env"),
        "A=nul-value\0x\n".getBytes(StandardCharsets.UTF_8));
    we("env", "set", "shop", "--env", "production", "--from-file", nul.toString()).expect(2);
    WeRunner.Result two = withStdin("x".getBytes(StandardCharsets.UTF_8),
        "env", "set", "shop", "--env", "production", "A", "B").expect(2);
    assertTrue(two.err().contains("only one KEY"), two.err());
    assertFalse(Files.exists(file));
  }

  @Test
  void anEnvFileThatIsASymbolicLinkIsRefused() throws IOException {
    Files.createDirectories(envDir);
    Path target = Files.writeString(dir.resolve("target"), "");
    Files.createSymbolicLink(file, target);
    WeRunner.Result r = we("env", "set", "shop", "--env", "production", "A=secret-for-link");
    r.expect(2);
    assertTrue(r.err().contains("symbolic link"), r.err());
    assertFalse(r.err().contains("secret-for-link"));
    assertEquals("", Files.readString(target));
    we("env", "keys", "shop", "--env", "production").expect(2);
  }

  @Test
  void anUnknownProjectOrEnvironmentIsRefused() {
    WeRunner.Result r = we("env", "set", "blog", "--env", "production", "A=1").expect(2);
    assertTrue(r.err().contains("not in the SSOT") && r.err().contains("shop"), r.err());
    WeRunner.Result e = we("env", "keys", "shop", "--env", "staging").expect(2);
    assertTrue(e.err().contains("staging"), e.err());
    we("env", "set", "Bad_Name", "--env", "production", "A=1").expect(2);
    assertFalse(Files.exists(envDir));
  }

  @Test
  void anInsecureFromFileIsRefused() throws IOException {
    Path open = WeRunner.write(dir.resolve("open.env"), "A=1\n".getBytes(StandardCharsets.UTF_8));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
    WeRunner.Result r = we("env", "set", "shop", "--env", "production", "--from-file",
        open.toString()).expect(2);
    assertTrue(r.err().contains("chmod 600"), r.err());
    we("env", "diff", "shop", "--env", "production", open.toString()).expect(2);
    assertFalse(Files.exists(file));
  }
}
