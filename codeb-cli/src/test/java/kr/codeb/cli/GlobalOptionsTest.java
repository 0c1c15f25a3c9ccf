package kr.codeb.cli;

import static kr.codeb.cli.WeRunner.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Global options: where they may stand, and flag over variable over config file. */
class GlobalOptionsTest {
  @TempDir Path dir;
  Path fromFlag;
  Path fromEnv;
  Path fromConfig;
  Path config;

  /** Three registries told apart by the project each holds: flag, envvar, configfile. */
  @BeforeEach
  void threeRegistries() {
    fromFlag = marked("flag");
    fromEnv = marked("envvar");
    fromConfig = marked("configfile");
    config = WeRunner.write(dir.resolve("we.yaml"),
        ("ssot: " + fromConfig + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private Path marked(String project) {
    Path file = WeRunner.seedCopy(dir, project + ".json");
    run("ssot", "allocate", project, "--env", "preview", "--ssot", file.toString()).expect(0);
    return file;
  }

  private static String which(WeRunner.Result r) {
    JsonNode projects = r.expect(0).json().get("projects");
    for (String p : new String[] {"flag", "envvar", "configfile"}) {
      if (projects.has(p)) {
        return p;
      }
    }
    throw new AssertionError("no marker in " + projects);
  }

  @Test
  void theFlagBeatsTheVariableWhichBeatsTheConfigFile() {
    Map<String, String> env = Map.of("CODEB_SSOT", fromEnv.toString());
    assertEquals("flag", which(run(env, "--config", config.toString(), "--ssot",
        fromFlag.toString(), "ssot", "show", "--json")));
    assertEquals("envvar", which(run(env, "--config", config.toString(), "ssot", "show",
        "--json")));
    assertEquals("configfile", which(run("--config", config.toString(), "ssot", "show",
        "--json")));
    assertEquals("configfile", which(run(Map.of("CODEB_CONFIG", config.toString()),
        "ssot", "show", "--json")));
  }

  @Test
  void theDefaultIsTheServersPath() {
    WeRunner.Result r = run("ssot", "show").expect(1);
    assertTrue(r.err().contains("/opt/codeb/registry/ssot.json"), r.err());
  }

  @Test
  void globalOptionsAreAcceptedBeforeAndAfterTheSubcommand() {
    String ssot = fromFlag.toString();
    for (String[] args : new String[][] {
        {"--json", "ssot", "check", "--ssot", ssot},
        {"ssot", "check", "--json", "--ssot", ssot},
        {"ssot", "--json", "check", "--ssot", ssot},
        {"--ssot", ssot, "--json", "ssot", "check"}}) {
      WeRunner.Result r = run(args).expect(1);
      assertTrue(r.json().get("findings").isArray(), String.join(" ", args));
      assertEquals("", r.err());
    }
  }

  @Test
  void errorsAreAJsonObjectOnStderrUnderJson() {
    WeRunner.Result r = run("--json", "ssot", "allocate", "Acme", "--env", "production",
        "--ssot", fromFlag.toString()).expect(2);
    assertEquals("", r.out());
    JsonNode error = r.errorJson().get("error");
    assertEquals("invalid-request", error.get("kind").asText());
    assertTrue(error.get("message").asText().contains("'Acme'"), r.err());
    assertEquals(2, error.size(), "kind and message only");
  }

  @Test
  void errorsArePlainTextWithoutJson() {
    WeRunner.Result r = run("ssot", "allocate", "acme", "--env", "nope",
        "--ssot", fromFlag.toString()).expect(2);
    assertTrue(r.err().startsWith("we: error: environment 'nope' is not defined"), r.err());
  }

  @Test
  void anUnknownOptionGetsPicocliMessage() {
    WeRunner.Result r = run("--frobnicate", "ssot", "check").expect(2);
    assertTrue(r.err().contains("Unknown option: '--frobnicate'"), r.err());
  }

  @Test
  void aConfigWithAnUnknownRoleExitsTwoNamingTheFileAndTheKey() {
    Path bad = WeRunner.write(dir.resolve("bad.yaml"), String.join("\n",
        "servers:",
        "  - name: db1",
        "    roles: [storage, database]",
        "    public: 203.0.113.20",
        "    private: 10.0.0.20",
        "").getBytes(StandardCharsets.UTF_8));
    WeRunner.Result r = run("--config", bad.toString(), "ssot", "check",
        "--ssot", fromFlag.toString()).expect(2);
    assertTrue(r.err().contains(bad.toString()), r.err());
    assertTrue(r.err().contains("servers[0].roles[1]"), r.err());
    assertTrue(r.err().contains("'database'"), r.err());
  }

  @Test
  void aMissingConfigFileIsBadInput() {
    WeRunner.Result r = run(Map.of("CODEB_CONFIG", dir.resolve("none.yaml").toString()),
        "ssot", "check", "--ssot", fromFlag.toString()).expect(2);
    assertTrue(r.err().contains("none.yaml"), r.err());
  }
}
