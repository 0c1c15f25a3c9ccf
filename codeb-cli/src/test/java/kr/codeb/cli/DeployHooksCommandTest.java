package kr.codeb.cli;

import static kr.codeb.cli.DeployFleet.GOOD_V1;
import static kr.codeb.cli.DeployFleet.GOOD_V2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** we deploy --pre-deploy/--post-deploy against the in-memory engines. */
class DeployHooksCommandTest {
  @TempDir Path dir;
  DeployFleet fleet;

  @BeforeEach
  void fleet() {
    fleet = new DeployFleet(dir);
  }

  @AfterEach
  void stopContainers() {
    fleet.removeContainers();
  }

  @Test
  void aFailingPreDeployHookFailsTheDeployAndKeepsTheLiveSlot() {
    fleet.deploy(GOOD_V1).expect(0);
    WeRunner.Result r = fleet.deploy(GOOD_V2, "--pre-deploy",
        "echo applying 0042; echo duplicate column >&2; exit 5");
    JsonNode j = r.json();
    assertEquals("failed", j.get("outcome").asText(), r.out());
    assertEquals("the pre-deploy hook exited with 5", j.get("reason").asText());
    assertTrue(j.get("logTail").asText().contains("duplicate column"), r.out());
    assertEquals("blue", j.get("live").asText());
    assertTrue(r.err().contains("pre-deploy: applying 0042"), r.err());
    JsonNode slot = fleet.we("slot", "acme", "--env", "production", "--json").expect(0).json();
    assertEquals("blue", slot.get("live").asText());
    assertTrue(slot.get("slots").get(1).get("container").isNull(), slot.toString());
  }

  @Test
  void passingHooksDeploy() {
    fleet.deploy(GOOD_V1).expect(0);
    WeRunner.Result r = fleet.deploy(GOOD_V2, "--pre-deploy", "echo migrated",
        "--post-deploy", "echo warmed", "--hook-timeout", "30s").expect(0);
    assertEquals("deployed", r.json().get("outcome").asText());
    assertTrue(r.err().contains("pre-deploy: migrated") && r.err().contains("post-deploy: warmed"),
        r.err());
  }

  @Test
  void badHookOptionsExit2() {
    WeRunner.Result timeout = fleet.deploy(GOOD_V1, "--pre-deploy", "true", "--hook-timeout",
        "2h").expect(2);
    assertTrue(timeout.err().contains("1 s to 1 h"), timeout.err());
    WeRunner.Result empty = fleet.deploy(GOOD_V1, "--pre-deploy", " ").expect(2);
    assertTrue(empty.err().contains("must not be empty"), empty.err());
    assertEquals(0, fleet.containers().size(), "nothing was started");
  }

  private Path config(String yaml) {
    return WeRunner.write(dir.resolve("we.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void hooksFromTheConfigFileRunAndTheCommandLineReplacesThem() {
    Path config = config("projects:\n"
        + "  acme:\n"
        + "    hooks: {pre-deploy: exit 8}\n"
        + "    environments:\n"
        + "      production:\n"
        + "        hooks:\n"
        + "          pre-deploy: echo migrating from the config\n"
        + "          post-deploy: echo config post; exit 3\n"
        + "          timeout: 30s\n"
        + "  other:\n"
        + "    hooks: {pre-deploy: exit 9}\n");
    fleet.deploy(GOOD_V1, "--config", config.toString()).expect(0);
    WeRunner.Result r = fleet.deploy(GOOD_V2, "--config", config.toString()).expect(0);
    assertTrue(r.err().contains("pre-deploy: migrating from the config"), r.err());
    assertTrue(r.err().contains("(timeout 30 s)"), r.err());
    JsonNode j = r.json();
    assertEquals("deployed", j.get("outcome").asText());
    assertTrue(j.get("reason").asText().startsWith("the post-deploy hook exited with 3"), r.out());
    assertEquals("green", j.get("live").asText());
    String last = lastHistoryMessage();
    assertTrue(last.startsWith("the post-deploy hook exited with 3; traffic stays on green"),
        last);

    WeRunner.Result flags = fleet.deploy(GOOD_V1, "--config", config.toString(), "--pre-deploy",
        "echo from the flag", "--post-deploy", "exit 4", "--hook-timeout", "20s",
        "--rollback-on-post-deploy-failure").expect(1);
    assertFalse(flags.err().contains("migrating from the config"), flags.err());
    assertTrue(flags.err().contains("pre-deploy: from the flag"), flags.err());
    assertTrue(flags.err().contains("(timeout 20 s)"), flags.err());
    assertEquals("green", flags.json().get("live").asText(), "rolled back to green");
    assertTrue(flags.json().get("reason").asText().contains("traffic moved back to green"),
        flags.out());
  }

  private String lastHistoryMessage() {
    JsonNode history = fleet.we("slot", "acme", "--env", "production", "--json").expect(0)
        .json().get("history");
    return history.get(history.size() - 1).get("message").asText();
  }

  @Test
  void envValuesTheHookPrintsAreMaskedInEverythingCodeBWrites() {
    String secret = "hook-secret-" + System.nanoTime();
    String url = "postgres://app:pw" + System.nanoTime() + "x@db.internal:5432/app";
    fleet.deploy(GOOD_V1).expect(0);
    WeRunner.Result r = fleet.deploy(GOOD_V2, "-e", "API_TOKEN=" + secret, "-e",
        "DATABASE_URL=" + url, "--pre-deploy", "echo token=$API_TOKEN; exit 6").expect(1);
    assertTrue(r.err().contains("pre-deploy: token=[redacted]"), r.err());
    assertTrue(r.json().get("logTail").asText().contains("token=[redacted]"), r.out());
    String password = url.substring(url.indexOf(":pw") + 1, url.indexOf('@'));
    WeRunner.Result post = fleet.deploy(GOOD_V2, "-e", "DATABASE_URL=" + url, "--post-deploy",
        "echo connecting with " + password + "; exit 2").expect(0);
    assertTrue(post.err().contains("post-deploy: connecting with [redacted]"), post.err());
    String history = fleet.we("slot", "acme", "--env", "production", "--json").expect(0).out();
    for (String text : List.of(r.out(), r.err(), post.out(), post.err(), history)) {
      assertFalse(text.contains(secret), text);
      assertFalse(text.contains(password), text);
    }
  }

  @Test
  void localHookScriptsOfTheConfiguredFolderRunWithCodebVariables() throws Exception {
    Path hooks = Files.createDirectories(dir.resolve("hooks"));
    Path seen = dir.resolve("seen.env");
    Path script = hooks.resolve("pre-deploy");
    Files.writeString(script, "#!/bin/sh\nenv | grep '^CODEB_' | sort > '" + seen + "'\n"
        + "echo local check passed\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    Path config = config("hooksDir: hooks\n");
    fleet.deploy(GOOD_V1).expect(0);
    WeRunner.Result r = fleet.we(Map.of("CODEB_ACTOR", "ci@runner7"), "deploy", "acme", "--env",
        "production", "--image", GOOD_V2, "--drain", "0s", "--json", "--config",
        config.toString(), "-e", "SECRET=s3cr3t-value").expect(0);
    assertTrue(r.err().contains("local pre-deploy: local check passed"), r.err());
    String env = Files.readString(seen);
    JsonNode j = r.json();
    assertEquals("CODEB_ACTOR=ci@runner7\nCODEB_ENV=production\nCODEB_HOOK=pre-deploy\n"
        + "CODEB_IMAGE=" + GOOD_V2 + "\nCODEB_PORT=" + j.get("port").asInt() + "\n"
        + "CODEB_PROJECT=acme\nCODEB_RELEASE=" + j.get("release").asText() + "\n"
        + "CODEB_SLOT=green\n", env);

    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-------"));
    WeRunner.Result refused = fleet.deploy(GOOD_V1, "--config", config.toString()).expect(2);
    assertTrue(refused.err().contains("is not an executable file"), refused.err());
    assertEquals("green", lastLive());
  }

  private String lastLive() {
    return fleet.we("slot", "acme", "--env", "production", "--json").expect(0).json()
        .get("live").asText();
  }

  @Test
  void badHookConfigExits2AndDeploysNothing() {
    for (String yaml : List.of(
        "projects: {acme: {environments: {production: {hooks: {timeout: 2h}}}}}\n",
        "projects: {acme: {hooks: {pre-deploy: ' '}}}\n",
        "projects: {acme: {environments: {production: {hooks: {predeploy: ./migrate}}}}}\n",
        "projects: {acme: {hooks: {rollback-on-post-deploy-failure: maybe}}}\n",
        "projects: {acme: {hooks: [pre-deploy]}}\n",
        "hooksDir: no-such-folder\n")) {
      WeRunner.Result r = fleet.deploy(GOOD_V1, "--config", config(yaml).toString()).expect(2);
      assertTrue(r.err().contains("hooks"), yaml + " -> " + r.err());
    }
    assertEquals(0, fleet.containers().size(), "nothing was started");
  }

  @Test
  void projectHooksServeEveryEnvironmentAndTheOldTopLevelHooksAreRefused() {
    Path project = config("projects: {acme: {hooks: {pre-deploy: echo project-wide hook}}}\n");
    WeRunner.Result r = fleet.deploy(GOOD_V1, "--config", project.toString()).expect(0);
    assertTrue(r.err().contains("pre-deploy: project-wide hook"), r.err());

    WeRunner.Result old = fleet.deploy(GOOD_V2, "--config",
        config("hooks: {acme: {production: {pre-deploy: ./migrate}}}\n").toString()).expect(2);
    assertTrue(old.err().contains("projects: PROJECT: environments: ENV: hooks:"), old.err());
    assertEquals("blue", lastLive(), "nothing was deployed");
  }
}
