package kr.codeb.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kr.codeb.ProviderRegistry;
import kr.codeb.cli.Main;
import kr.codeb.fleet.ServerLink;
import kr.codeb.tck.TestEngines;
import kr.codeb.tck.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code we fleet install} onto the test fleet's app server (sshd-a on 127.0.0.11, the same
 * machine: the "server's" prefix is a folder under this test's temporary folder), with small
 * release archives made here: a bin/we that answers --version, the repository's install.sh
 * and SHA256SUMS. The real archive's install is codeb-dist's FleetInstallIT.
 */
class FleetInstallTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Path INSTALL_SH = Path.of("..", "scripts", "install.sh").toAbsolutePath()
      .normalize();

  private Path dir;
  private Path prefix;
  private Path binDir;
  private Path config;

  @BeforeEach
  void fleet() throws IOException {
    dir = Files.createTempDirectory(Path.of("/tmp"), "we-fleet-install");
    prefix = dir.resolve("server/opt-codeb");
    binDir = dir.resolve("server/bin");
    config = Files.writeString(dir.resolve("fleet.yaml"), "ssh:\n"
        + "  user: " + TestEngines.require("CODEB_TEST_SSH_USER") + "\n"
        + "  key: " + TestEngines.require("CODEB_TEST_SSH_KEY") + "\n"
        + "  knownHosts: " + TestEngines.require("CODEB_TEST_SSH_KNOWN_HOSTS") + "\n"
        + "servers:\n"
        + "  - { name: app1, roles: [app], public: 127.0.0.11, private: 127.0.0.11,"
        + " ssh: '127.0.0.11:" + TestEngines.require("CODEB_TEST_SSH_PORT_A") + "' }\n"
        + "  - { name: db1, roles: [storage], public: 127.0.0.12, private: 127.0.0.12 }\n");
  }

  @AfterEach
  void clean() throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
    }
  }

  record Run(int code, String out, String err) {
    JsonNode json() throws IOException {
      return MAPPER.readTree(out);
    }
  }

  private Run we(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of("--config", config.toString()));
    all.addAll(List.of(args));
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(all.toArray(String[]::new), o, e, Map.<String, String>of()::get);
    }
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Run install(Path archive, String... more) {
    List<String> args = new ArrayList<>(List.of("fleet", "install", "--servers", "app1",
        "--archive", archive.toString(), "--prefix", prefix.toString(), "--bin-dir",
        binDir.toString(), "--json"));
    args.addAll(List.of(more));
    return we(args.toArray(String[]::new));
  }

  /** A release archive of {@code version} whose bin/we answers --version with it. */
  private Path release(String version) throws Exception {
    Path archive = dir.resolve("archives/we-" + version + ".tar.gz");
    if (Files.exists(archive)) {
      return archive;
    }
    Path work = Files.createDirectories(dir.resolve("build-" + version));
    Path folder = Files.createDirectories(work.resolve("we-" + version + "/bin"));
    Path we = Files.writeString(folder.resolve("we"), "#!/bin/sh\necho 'we " + version
        + " (commit 0123abc)'\necho 'Java 17 (test) at /nowhere'\n");
    Files.setPosixFilePermissions(we, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path home = folder.getParent();
    Files.copy(INSTALL_SH, home.resolve("install.sh"));
    shell(home, "/usr/bin/sha256sum bin/we install.sh > SHA256SUMS");
    Files.createDirectories(archive.getParent());
    shell(work, "/usr/bin/tar -czf " + archive + " we-" + version);
    return archive;
  }

  private static void shell(Path in, String command) throws Exception {
    Process p = new ProcessBuilder("/bin/bash", "-c", command).directory(in.toFile())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, command + ": " + out);
  }

  private static long uploadFolders() throws IOException {
    try (Stream<Path> tmp = Files.list(Path.of("/tmp"))) {
      return tmp.filter(p -> p.getFileName().toString().startsWith("we-upload-")).count();
    }
  }

  @Test
  void installsThenChangesNothingThenUpgradesReportingVersionsBeforeAndAfter() throws Exception {
    long uploadsBefore = uploadFolders();
    Run first = install(release("9.9.1"));
    assertEquals(0, first.code(), first.err() + first.out());
    JsonNode app1 = first.json().get("servers").get(0);
    assertEquals("app1", app1.get("name").asText());
    assertEquals("installed", app1.get("outcome").asText(), app1.toString());
    assertFalse(app1.has("before"), "nothing was installed before: " + app1);
    assertEquals("we 9.9.1 (commit 0123abc)", app1.get("after").asText());
    assertTrue(app1.get("uploaded").asBoolean());
    assertEquals(Path.of("we-9.9.1"), Files.readSymbolicLink(prefix.resolve("current")));
    assertEquals(prefix.toRealPath().resolve("current/bin/we"),
        Files.readSymbolicLink(binDir.resolve("we")));
    assertEquals(uploadsBefore, uploadFolders(), "the upload folder is removed");

    Run again = install(release("9.9.1"));
    assertEquals(0, again.code(), again.err());
    JsonNode same = again.json().get("servers").get(0);
    assertEquals("unchanged", same.get("outcome").asText(), same.toString());
    assertFalse(same.get("uploaded").asBoolean(), "no upload to find out: " + same);
    assertEquals("we 9.9.1 (commit 0123abc)", same.get("before").asText());

    Run upgrade = we("fleet", "install", "--servers", "app1", "--archive",
        release("9.9.2").toString(), "--prefix", prefix.toString(), "--bin-dir", binDir.toString());
    assertEquals(0, upgrade.code(), upgrade.err() + upgrade.out());
    assertTrue(upgrade.out().lines().anyMatch(l -> l.matches(
        "app1 +9\\.9\\.1 +9\\.9\\.2 +installed +\\S+/current -> we-9\\.9\\.2 \\(was"
        + " we-9\\.9\\.1\\)")), upgrade.out());
    assertEquals(Path.of("we-9.9.2"), Files.readSymbolicLink(prefix.resolve("current")));
    assertTrue(Files.isDirectory(prefix.resolve("we-9.9.1")), "the old version stays");
    assertEquals(uploadsBefore, uploadFolders());
  }

  @Test
  void badInputsAreRefusedWithWhatIsAllowedAndNothingIsWritten() throws Exception {
    Path archive = release("9.9.1");
    Run unknown = we("fleet", "install", "--servers", "app1,app9", "--archive",
        archive.toString(), "--prefix", prefix.toString());
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("no server named 'app9'")
        && unknown.err().contains("known: [app1, db1]"), unknown.err());

    Run noSsh = we("fleet", "install", "--servers", "db1", "--archive", archive.toString(),
        "--prefix", prefix.toString());
    assertEquals(2, noSsh.code());
    assertTrue(noSsh.err().contains("server db1 has no ssh:"), noSsh.err());

    Run missing = install(dir.resolve("we-9.9.9.tar.gz"));
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("no such file"), missing.err());

    Path notOurs = Files.writeString(dir.resolve("backup.tar.gz"), "x");
    Run name = install(notOurs);
    assertEquals(2, name.code());
    assertTrue(name.err().contains("allowed: we-VERSION.tar.gz"), name.err());

    Path garbage = Files.writeString(dir.resolve("we-1.0.tar.gz"), "not gzip");
    Run unreadable = install(garbage);
    assertEquals(2, unreadable.code());
    assertTrue(unreadable.err().contains("is not a readable .tar.gz"), unreadable.err());

    Run relative = we("fleet", "install", "--archive", archive.toString(), "--prefix",
        "opt/codeb");
    assertEquals(2, relative.code());
    assertTrue(relative.err().contains("--prefix 'opt/codeb' must be an absolute path"),
        relative.err());
    Run dotted = we("fleet", "install", "--archive", archive.toString(), "--prefix",
        prefix.toString(), "--bin-dir", "/usr/local/../bin");
    assertEquals(2, dotted.code());
    assertTrue(dotted.err().contains("--bin-dir"), dotted.err());

    assertFalse(Files.exists(prefix), "nothing was written on the server");
  }

  @Test
  void anArchiveChangedOnTheWayFailsItsChecksumOnTheServerAndNothingIsInstalled()
      throws Exception {
    Path archive = release("9.9.1");
    ReleaseArchive checked = ReleaseArchive.of(archive);
    // The bytes that arrive are not the ones whose SHA-256 was taken: a corrupted transfer.
    Files.copy(release("9.9.3"), archive, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    long uploadsBefore = uploadFolders();
    try (ServerLink link = ProviderRegistry.load(name -> null).serverLink(TestServers.a("app1"))) {
      FleetInstall.Outcome o = new FleetInstall(link, prefix.toString(), Optional.empty(),
          Duration.ofSeconds(30)).install(checked);
      assertEquals("failed", o.outcome());
      assertTrue(o.uploaded());
      assertTrue(o.detail().orElseThrow().startsWith("checksum mismatch: the uploaded"
          + " we-9.9.1.tar.gz has SHA-256 " + ReleaseArchive.sha256(archive) + " on the server, "
          + checked.packed().sha256() + " here; nothing was installed"), o.detail().orElseThrow());
    }
    assertFalse(Files.exists(prefix.resolve("current")), "nothing installed");
    assertEquals(uploadsBefore, uploadFolders(), "the upload folder is removed");
  }
}
