package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import kr.codeb.ProviderRegistry;
import kr.codeb.env.EnvFile;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code we env} through the fleet's SSH, and the deploy that uses it: the app server is the
 * sshd on 127.0.0.11 with the main dockerd, the edge the sshd on 127.0.0.13 with Caddy. The env
 * folder (envDir:) is a temp folder, which the "servers" share with this test since they are
 * one machine. Every line's stdout and stderr is searched for the secret at the end.
 */
class EnvFleetTest {
  static final String ENV = "production";
  static final String SECRET = "pw-" + Long.toHexString(System.nanoTime())
      + " with 'quotes', $dollar and \"double\"";

  @TempDir Path dir;
  Path envDir;
  Path config;
  String project;
  int caddyPort;
  final List<WeRunner.Result> results = new ArrayList<>();

  @BeforeEach
  void fleet() throws IOException {
    caddyPort = Integer.parseInt(TestEngines.require("CODEB_TEST_CADDY_HTTP_PORT").strip());
    project = "ev-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    int start = RealDeployHarness.freeBlockFrom(47500);
    Path ssot = WeRunner.write(dir.resolve("ssot.json"), ("{\"version\":\"7.0.0\","
        + "\"portRanges\":{\"" + ENV + "\":{\"start\":" + start + ",\"end\":"
        + (start + RealDeployHarness.RANGE_SIZE - 1) + "}},\"projects\":{},"
        + "\"ports\":{\"allocated\":{}}}\n").getBytes(StandardCharsets.UTF_8));
    envDir = dir.resolve("env");
    String admin = TestEngines.require("CODEB_TEST_CADDY_ADMIN").replaceFirst("^http://", "");
    config = Files.writeString(dir.resolve("fleet.yaml"), "ssot: " + ssot + "\n"
        + "envDir: " + envDir + "\n"
        + "ssh:\n"
        + "  user: " + TestEngines.require("CODEB_TEST_SSH_USER") + "\n"
        + "  key: " + TestEngines.require("CODEB_TEST_SSH_KEY") + "\n"
        + "  knownHosts: " + TestEngines.require("CODEB_TEST_SSH_KNOWN_HOSTS") + "\n"
        + "servers:\n"
        + "  - name: app1\n"
        + "    roles: [app]\n"
        + "    public: 127.0.0.11\n"
        + "    private: 127.0.0.11\n"
        + "    publish: 127.0.0.11\n"
        + "    ssh: 127.0.0.11:" + TestEngines.require("CODEB_TEST_SSH_PORT_A") + "\n"
        + "    engines:\n"
        + "      runtime: docker+" + TestEngines.require("CODEB_TEST_DOCKER_HOST") + "\n"
        + "  - name: edge\n"
        + "    roles: [edge]\n"
        + "    public: 127.0.0.13\n"
        + "    private: 127.0.0.13\n"
        + "    ssh: 127.0.0.13:" + TestEngines.require("CODEB_TEST_SSH_PORT_C") + "\n"
        + "    engines:\n"
        + "      proxy: caddy+http://" + admin + "?listen=127.0.0.1:" + caddyPort
        + "&auto_https=off\n");
    we("ssot", "allocate", project, "--env", ENV).expect(0);
  }

  WeRunner.Result we(String... args) {
    List<String> all = new ArrayList<>(List.of("--config", config.toString()));
    all.addAll(List.of(args));
    WeRunner.Result r = WeRunner.run(Map.of(), all.toArray(String[]::new));
    results.add(r);
    return r;
  }

  WeRunner.Result deploy(String tag, String... more) {
    List<String> args = new ArrayList<>(List.of("deploy", project, "--env", ENV, "--image",
        TestEngines.require("CODEB_TEST_EXAMPLE_IMAGE").strip() + ":" + tag, "--host",
        project + ".test", "--drain", "200ms", "--health-timeout", "20s", "--json"));
    args.addAll(List.of(more));
    return we(args.toArray(String[]::new));
  }

  Path file() {
    return envDir.resolve(project + "-" + ENV + ".env");
  }

  /** The container's environment as the app engine has it (docker inspect). */
  static String containerEnv(String name) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("docker", "inspect", "--format",
        "{{range .Config.Env}}{{println .}}{{end}}", name).redirectErrorStream(true);
    pb.environment().put("DOCKER_HOST", TestEngines.require("CODEB_TEST_DOCKER_HOST"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  @AfterEach
  void cleanUp() {
    try (ContainerRuntime runtime = ProviderRegistry.load(name -> null)
        .containerRuntime("docker+" + TestEngines.require("CODEB_TEST_DOCKER_HOST"))) {
      runtime.list(Map.of("codeb.project", project)).forEach(c -> runtime.remove(c.id()));
    }
    String admin = TestEngines.require("CODEB_TEST_CADDY_ADMIN").replaceFirst("^http://", "");
    try (ReverseProxy proxy = ProviderRegistry.load(name -> null)
        .reverseProxy("caddy+http://" + admin + "?listen=127.0.0.1:" + caddyPort
            + "&auto_https=off")) {
      proxy.remove(project + "-" + ENV);
    }
    for (WeRunner.Result r : results) {
      assertFalse(r.out().contains(SECRET) || r.err().contains(SECRET)
          || r.out().contains("pw-") || r.err().contains("pw-"), "the secret was printed: " + r);
    }
  }

  @Test
  void envSetOverSshWritesAPrivateFileThatTheDeployedSlotSees() throws Exception {
    WeRunner.Result set = we("env", "set", project, "--env", ENV, "DB_PASSWORD=" + SECRET,
        "PLAIN=1").expect(0);
    assertTrue(set.out().contains("added DB_PASSWORD, PLAIN"), set.out());
    assertTrue(set.out().contains("app1:" + file()), "the location names the server: "
        + set.out());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
        file())));
    assertEquals(SECRET, EnvFile.parse(Files.readAllBytes(file())).get("DB_PASSWORD")
        .orElseThrow(), "the value round-trips through SFTP");
    assertEquals("unchanged\n", we("env", "set", project, "--env", ENV, "PLAIN=1").expect(0)
        .out());

    JsonNode keys = we("env", "keys", project, "--env", ENV, "--json").expect(0).json();
    assertEquals("[\"DB_PASSWORD\",\"PLAIN\"]", keys.get("keys").toString());
    Path wanted = WeRunner.writePrivate(dir.resolve("wanted.env"),
        "DB_PASSWORD=other\nPLAIN=1\nNEW=1\n".getBytes(StandardCharsets.UTF_8));
    assertEquals("+ NEW\n~ DB_PASSWORD\n",
        we("env", "diff", project, "--env", ENV, wanted.toString()).expect(0).out());

    // v1 gets the file's content
    WeRunner.Result first = deploy("v1").expect(0);
    assertTrue(first.err().contains("we: environment from the project's env file app1:"
        + file() + " (2 keys)"), first.err());
    JsonNode v1 = first.json();
    assertEquals("app1", v1.get("server").asText(), v1.toString());
    String blue = project + "-" + ENV + "-" + v1.get("slot").asText();
    String env1 = containerEnv(blue);
    assertTrue(env1.contains("DB_PASSWORD=" + SECRET + "\n") && env1.contains("PLAIN=1\n"),
        "the slot sees the env file's values");

    // v2: the file changed since, and -e sets one key over it
    we("env", "set", project, "--env", ENV, "PLAIN=2", "LATER=x").expect(0);
    JsonNode v2 = deploy("v2", "-e", "LATER=override").expect(0).json();
    String env2 = containerEnv(project + "-" + ENV + "-" + v2.get("slot").asText());
    assertTrue(env2.contains("PLAIN=2\n") && env2.contains("LATER=override\n")
        && env2.contains("DB_PASSWORD=" + SECRET + "\n"), "file values, -e over them");

    // the release history names the project's env file and a hash; it (and every other file
    // beside the SSOT) holds no value
    boolean recorded = false;
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.startsWith(envDir))
          .toList()) {
        String text = Files.readString(f, StandardCharsets.ISO_8859_1);
        assertFalse(text.contains("pw-"), "a value in " + f);
        recorded |= text.contains("project-env-file:app1:" + file())
            && text.matches("(?s).*sha256:[0-9a-f]{64}.*");
      }
    }
    assertTrue(recorded, "the history records the env file's location and hash");
    JsonNode slots = we("slot", project, "--env", ENV, "--json").expect(0).json();
    assertFalse(slots.toString().contains(SECRET));

    // a rollback that recreates v1 reads the env file again and says it changed since
    try (ContainerRuntime runtime = ProviderRegistry.load(name -> null)
        .containerRuntime("docker+" + TestEngines.require("CODEB_TEST_DOCKER_HOST"))) {
      runtime.remove(new ContainerId(blue));
    }
    JsonNode back = we("rollback", project, "--env", ENV, "--json").expect(0).json();
    String note = back.get("environmentNote").asText();
    assertTrue(note.contains("the project's env file app1:" + file())
        && note.contains("changed since the release"), back.toString());
    String env3 = containerEnv(blue);
    assertTrue(env3.contains("PLAIN=2\n") && env3.contains("LATER=x\n"),
        "recreated with the env file as it is now");
  }

  @Test
  void aLinkOnTheServerAndBadKeysAreRefusedOverSsh() throws Exception {
    Files.createDirectories(envDir);
    Path target = Files.writeString(dir.resolve("elsewhere"), "");
    Files.createSymbolicLink(file(), target);
    WeRunner.Result link = we("env", "set", project, "--env", ENV, "DB_PASSWORD=" + SECRET)
        .expect(2);
    assertTrue(link.err().contains("symbolic link") && link.err().contains("app1:"),
        link.err());
    assertEquals("", Files.readString(target));
    Files.delete(file());

    for (String bad : List.of("MY KEY=v", "1KEY=v", "lower=v")) {
      we("env", "set", project, "--env", ENV, bad).expect(2);
    }
    we("env", "unset", project, "--env", ENV, "A=B").expect(2);
    we("env", "set", "nosuch", "--env", ENV, "A=1").expect(2);
    assertFalse(Files.exists(file()), "nothing was written");
  }
}
